// The key-industry collections (专题数据库) of /api/v1/stats/collections, looked up once a page
// (the API client caches the answer): the selects' options, and the names of a `coll=` filter's
// chip and hints.
import { ref } from 'vue'
import { api } from './api.js'
import { pick } from './i18n.js'

const known = ref({}) // id → collection, once loaded (empty before, or when the look-up failed)
let loading = null

async function load() {
  try {
    known.value = Object.fromEntries((await api.collections()).collections.map((c) => [c.id, c]))
  } catch {
    known.value = {} // the ids are shown instead
  }
}

/** The collections in the API's order (none until loaded, which the first call starts). */
export function collectionList() {
  loading ??= load()
  return Object.values(known.value)
}

/**
 * A collection's name in the page's language (its id until the collections are loaded, which
 * the first call starts: a page without a `coll=` filter never asks for them).
 */
export function collectionName(id) {
  loading ??= load()
  const found = known.value[String(id).toLowerCase()]
  return found ? pick(found.name_zh, found.name_en) : id
}
