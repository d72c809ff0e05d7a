// What the statistics pages share: the answer of the latest request, and a table as a CSV file.
import { ref } from 'vue'
import { toCsv } from './statsState.js'

/**
 * The answer of the latest call of `fetch` only (an older call that ends later is dropped),
 * with its loading flag and its failure (an `ApiError`, the answer then null).
 */
export function useLatest(fetch) {
  const answer = ref(null)
  const loading = ref(false)
  const failure = ref(null)
  let sequence = 0
  async function load() {
    const mine = ++sequence
    loading.value = true
    failure.value = null
    try {
      const result = await fetch()
      if (mine === sequence) answer.value = result
    } catch (error) {
      if (mine === sequence) { answer.value = null; failure.value = error }
    } finally {
      if (mine === sequence) loading.value = false
    }
  }
  return { answer, loading, failure, load }
}

/** Save a `{ head, body }` table as a CSV file, with a BOM so that spreadsheet programs read
 * the Chinese labels as UTF-8. */
export function downloadCsv(table, filename) {
  const blob = new Blob(['\uFEFF', toCsv(table)], { type: 'text/csv;charset=utf-8' })
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
