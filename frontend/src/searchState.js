// The search state lives in the URL: /patents?q=…&f=dist%3D黄埔区&f=…&sort=…&page=…
// Filters (`f`) are facet-bucket queries in the query language; the query sent to the API is
// q AND (filters of one field ORed) AND (filters of another field ORed) ...

export const KINDS = ['patent', 'trademark', 'copyright']
const PATHS = { patent: '/patents', trademark: '/trademarks', copyright: '/copyrights' }
export const SORTS = ['relevance', 'date_desc', 'date_asc']
export const PAGE_SIZE = 20
export const MAX_RESULT_WINDOW = 10000

export function pathFor(kind) {
  return PATHS[kind] ?? '/patents'
}

const asList = (value) => (value == null ? [] : Array.isArray(value) ? value : [value])

/** The search state of a route's query object. */
export function readState(query) {
  const page = Number.parseInt(query.page, 10)
  return {
    q: typeof query.q === 'string' ? query.q : '',
    filters: [...new Set(asList(query.f).filter((f) => typeof f === 'string' && f))],
    page: page >= 1 ? page : 1,
    sort: SORTS.includes(query.sort) ? query.sort : 'relevance',
  }
}

/** The route query object of a state, leaving out defaults so URLs stay short. */
export function toQuery(state) {
  const out = {}
  if (state.q) out.q = state.q
  if (state.filters.length) out.f = [...state.filters]
  if (state.page > 1) out.page = String(state.page)
  if (state.sort && state.sort !== 'relevance') out.sort = state.sort
  return out
}

export function searchLocation(kind, state) {
  return { path: pathFor(kind), query: toQuery({ filters: [], page: 1, sort: 'relevance', q: '', ...state }) }
}

/** The field code of a filter: `dist=黄埔区` → `dist`. */
export function filterCode(filter) {
  const i = filter.indexOf('=')
  return i > 0 ? filter.slice(0, i) : filter
}

/** The value of a filter without its code and quotes: `pak="A B"` → `A B`. */
export function filterValue(filter) {
  const i = filter.indexOf('=')
  return (i > 0 ? filter.slice(i + 1) : filter).replace(/^["“](.*)["”]$/, '$1')
}

/**
 * The query text sent to the API, and where the user's own q starts in it (so an error position
 * can be mapped back into the query box; -1 when q is not part of the text).
 */
export function composeQuery(q, filters) {
  const groups = new Map()
  for (const f of filters) groups.set(filterCode(f), [...(groups.get(filterCode(f)) || []), f])
  const parts = [...groups.values()].map((g) => (g.length === 1 ? g[0] : `(${g.join(' OR ')})`))
  if (!parts.length) return { text: q, offset: 0 }
  if (!q.trim()) return { text: parts.join(' AND '), offset: -1 }
  return { text: `(${q}) AND ${parts.join(' AND ')}`, offset: 1 }
}

/** An API error position in the composed text → a position in q, or null if outside q. */
export function positionInQuery(position, composed, q) {
  if (composed.offset < 0) return null
  const pos = position - composed.offset
  return pos >= 0 && pos <= q.length ? pos : null
}

export function withFilter(state, filter, on) {
  const filters = state.filters.filter((f) => f !== filter)
  if (on) filters.push(filter)
  return { ...state, filters, page: 1 }
}

/** The key-industry collection (专题数据库) a search is limited to: its `coll=` filter's id, or ''. */
export function collectionOf(filters) {
  const filter = filters.find((f) => filterCode(f) === 'coll')
  return filter ? filterValue(filter) : ''
}

/** The state limited to collection `id` (one at a time), or to none when `id` is ''. */
export function withCollection(state, id) {
  const filters = state.filters.filter((f) => filterCode(f) !== 'coll')
  if (id) filters.push(`coll=${quoteValue(id)}`)
  return { ...state, filters, page: 1 }
}

/** Quote a value for the query language when it is not a plain word. */
export function quoteValue(value) {
  const plain = /^[\p{L}\p{N}/-]+$/u.test(value)
  return plain ? value : `"${value.replaceAll('"', '')}"`
}

const FIELD_CODE = /\b[a-z]{2,6}\s*(?:=|>=|<=|>|<)\s*/gi
const OPERATOR = /\s+(?:AND|OR|NOT|与|或|非)\s+/g

/** Ways to relax a search that found nothing: each a label key, its params and a new state. */
export function relaxations(state) {
  const out = []
  for (const f of state.filters) {
    out.push({ key: 'results.dropFilter', params: { name: filterValue(f) }, filter: f, state: withFilter(state, f, false) })
  }
  const q = state.q
  const plain = q.replace(FIELD_CODE, '').trim()
  if (plain && plain !== q.trim()) {
    out.push({ key: 'results.plainWords', params: { q: plain }, state: { ...state, q: plain, page: 1 } })
  }
  const unquoted = q.replace(/["“”]/g, '').trim()
  if (unquoted !== q.trim()) {
    out.push({ key: 'results.noQuotes', params: { q: unquoted }, state: { ...state, q: unquoted, page: 1 } })
  }
  const words = q.replace(OPERATOR, ' ').trim().split(/\s+/).filter(Boolean)
  if (words.length > 1 && !/[()]/.test(q)) {
    const any = words.join(' OR ')
    out.push({ key: 'results.anyWord', params: { q: any }, state: { ...state, q: any, page: 1 } })
  }
  return out
}

/** Facet name → the field code its buckets filter on (iphub.store.fields.FACET_QUERY_CODES). */
export const FACET_CODES = {
  applicant: 'pak', ipc_section: 'ipc', ipc_class: 'ipc', ipc_subclass: 'ipc', year: 'ad', kind: 'kind',
  country: 'ctry', district: 'dist', industry: 'ind', status: 'status', nice_class: 'nc',
}

/**
 * Multi-select facets: the buckets of a facet with chosen filters are counted without that
 * facet's own filters, so its other values stay selectable. One extra request per such field
 * code, for the facets among `names` that filter on it: `{ facets: [names], text }`.
 */
export function facetRequests(q, filters, names) {
  return [...new Set(filters.map(filterCode))]
    .map((code) => ({
      facets: names.filter((name) => FACET_CODES[name] === code),
      text: composeQuery(q, filters.filter((f) => filterCode(f) !== code)).text,
    }))
    .filter((r) => r.facets.length)
}
