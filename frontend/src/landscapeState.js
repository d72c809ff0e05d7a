// The landscape page's state lives in the URL, like the other pages':
// /landscape?kind=patent&collection=nev&q=ti=锂电池&top=10&years=3
// and its pure helpers turn the blocks of /api/v1/stats/landscape into chart data and tables.
import { heatLayout } from './statsState.js'

export const LANDSCAPE_KINDS = ['patent', 'trademark']
const MAX_SPAN = 60 // years filled in between; a wider span (a stray date) is shown as it comes

/** Years as strings from the first to the last of `years` (strings of digits), none left out,
 * so that a line or a row of cells shows a year without filings as one. */
function everyYear(years) {
  const numbers = years.map(Number)
  const first = Math.min(...numbers)
  const last = Math.max(...numbers)
  if (!numbers.length || last - first > MAX_SPAN) return [...years].sort()
  return Array.from({ length: last - first + 1 }, (_, i) => String(first + i))
}
export const TOPS = [5, 10, 20, 50]
const DEFAULTS = { kind: 'patent', collection: '', q: '', top: 10, years: 3 }

const text = (value) => (typeof value === 'string' ? value.trim() : '')
const within = (value, low, high, fallback) => {
  const n = Number.parseInt(value, 10)
  return n >= low && n <= high ? n : fallback
}

/** The page state of a route's query object; unknown values fall back to the defaults. */
export function readLandscapeState(query) {
  const kind = LANDSCAPE_KINDS.includes(query.kind) ? query.kind : DEFAULTS.kind
  return {
    kind,
    // a key-industry collection (专题数据库) is defined over patents
    collection: kind === 'patent' ? text(query.collection) : '',
    q: text(query.q),
    top: within(query.top, 1, 50, DEFAULTS.top),
    years: within(query.years, 1, 10, DEFAULTS.years),
  }
}

/** The route query object of a state, without its defaults, so bookmarks stay short. */
export function toLandscapeQuery(state) {
  const out = {}
  for (const key of ['kind', 'collection', 'q', 'top', 'years']) {
    if (state[key] !== DEFAULTS[key] && state[key] !== '' && state[key] != null) out[key] = String(state[key])
  }
  return out
}

/** The API's parameters for a state. */
export function landscapeParams(state) {
  return { kind: state.kind, collection: state.collection, q: state.q, top: state.top, new_years: state.years }
}

/**
 * Filings by year, one series per applicant country (the `trend` block's rows are
 * `[year, country, count]`): the `most` countries with the most filings by name, the others
 * summed as one series named `other`; every year from the first to the last, a year without
 * filings of a country 0.
 */
export function trendByCountry(block, most = 6, other = 'other', missing = '—') {
  const rows = (block?.rows ?? []).filter((r) => r[0] != null)
  const years = everyYear([...new Set(rows.map((r) => String(r[0])))])
  const totals = new Map()
  for (const [, country, count] of rows) {
    const name = country ?? missing
    totals.set(name, (totals.get(name) ?? 0) + count)
  }
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))
  const named = ranked.slice(0, most).map(([name]) => name)
  const series = new Map(named.map((name) => [name, years.map(() => 0)]))
  if (ranked.length > most) series.set(other, years.map(() => 0))
  for (const [year, country, count] of rows) {
    const name = country ?? missing
    series.get(named.includes(name) ? name : other)[years.indexOf(String(year))] += count
  }
  return { years, series: [...series.entries()].map(([name, data]) => ({ name, data })) }
}

/**
 * A heat-map of a block whose rows are `[outer, inner, count]` (applicant × year, applicant ×
 * class): the outer keys in the API's order (the leading first), the inner ones sorted (years
 * every one from the first to the last); cells as ECharts takes them, `[inner index, outer
 * index, count]`.
 */
export function matrix(block, missing = '—') {
  const rows = block?.rows ?? []
  if (!rows.length) return null
  const name = (key) => (key == null ? missing : String(key))
  const outer = [...new Set(rows.map((r) => name(r[0])))]
  const cells = rows.map(([a, b, count]) => [outer.indexOf(name(a)), name(b), count])
  const yearsOrSorted = (names) => (names.every((k) => /^\d{4}$/.test(k)) ? everyYear(names) : names.sort())
  return heatLayout(outer, cells, yearsOrSorted)
}

/** A block's rows as a `{ head, body }` table (`statsState.toCsv` writes it): the columns by
 * `heading`, a missing key as `missing`. */
export function blockTable(block, heading, missing = '—') {
  return {
    head: (block?.columns ?? []).map(heading),
    body: (block?.rows ?? []).map((row) => row.map((v) => (v == null ? missing : v))),
  }
}

/** The first year of the "new entrants" window: the last filing year of the trend less
 * `years` - 1 (null without a dated filing), as the API counts it. */
export function entrantsFrom(trend, years) {
  const dated = (trend?.rows ?? []).map((r) => Number.parseInt(r[0], 10)).filter(Number.isFinite)
  if (!dated.length) return null
  const last = Math.max(...dated)
  return { from: last - years + 1, to: last }
}
