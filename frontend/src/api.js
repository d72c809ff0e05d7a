// The page's only door to the server: the public /api/v1 API.
export class ApiError extends Error {
  constructor(status, problem = {}) {
    super(problem.detail || problem.title || `HTTP ${status}`)
    this.status = status
    this.problem = problem
  }

  /** A malformed query (400 with a position), shown inline in the query box. */
  get isQueryError() {
    return this.status === 400 && Number.isInteger(this.problem.position)
  }
}

async function getJson(path, params = {}) {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
  }
  const url = search.toString() ? `${path}?${search}` : path
  let response
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' } })
  } catch {
    throw new ApiError(0, { code: 'network' })
  }
  const body = await response.json().catch(() => null)
  if (!response.ok) throw new ApiError(response.status, body || {})
  return body
}

const once = new Map()
function cached(key, load) {
  if (!once.has(key)) once.set(key, load().catch((e) => { once.delete(key); throw e }))
  return once.get(key)
}

export const MAX_EXPORT = 10000

export const api = {
  search: (kind, params) => getJson(`/api/v1/${kind}s/search`, params),
  record: (id) => getJson(`/api/v1/records/${encodeURIComponent(id)}`),
  similar: (id, size = 10) => getJson(`/api/v1/records/${encodeURIComponent(id)}/similar`, { size }),
  sources: () => cached('sources', () => getJson('/api/v1/sources')),
  language: () => cached('language', () => getJson('/api/v1/query-language')),
  holdings: (params) => getJson('/api/v1/stats/holdings', params),
  indicators: (params = {}) => getJson('/api/v1/stats/indicators', params),
  landscape: (params) => getJson('/api/v1/stats/landscape', params),
  collections: () => cached('collections', () => getJson('/api/v1/stats/collections')),
  /** IPC titles (section → subgroup) of up to 50 codes; the same list is asked once. */
  ipc(codes) {
    const list = [...new Set(codes)].slice(0, 50)
    return cached(`ipc:${list.join(',')}`, () => getJson('/api/v1/ipc', { codes: list.join(',') }))
  },
  exportUrl(kind, q, format, limit = MAX_EXPORT) {
    const params = new URLSearchParams({ kind, format, limit: String(limit) })
    if (q) params.set('q', q)
    return `/api/v1/export?${params}`
  },
}
