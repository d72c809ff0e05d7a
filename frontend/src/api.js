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

/** A request to the API: JSON in and out, an owner's API key when given; 204 answers null. */
async function call(method, url, { key, body } = {}) {
  const headers = { Accept: 'application/json' }
  if (key) headers['X-API-Key'] = key
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  let response
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ApiError(0, { code: 'network' })
  }
  if (response.status === 204) return null
  const data = await response.json().catch(() => null)
  if (!response.ok) throw new ApiError(response.status, data || {})
  return data
}

function getJson(path, params = {}) {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value))
  }
  return call('GET', search.toString() ? `${path}?${search}` : path)
}

const subscription = (id, action = '') => `/api/v1/subscriptions/${encodeURIComponent(id)}${action}`

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
  /** 按技术描述检索: a description's key terms as a patent query ({ query, terms }). */
  describe: (text) => call('POST', '/api/v1/patents/query-from-text', { body: { text } }),
  /** 近似商标查询: `params` as marksState.marksParams makes them (classes repeated). */
  similarMarks: (params) => call('GET', `/api/v1/trademarks/similar?${params}`),
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
  /** An owner's subscriptions (saved queries and watches), with its API key. */
  subscriptions: {
    list: (key) => call('GET', '/api/v1/subscriptions', { key }),
    create: (key, body) => call('POST', '/api/v1/subscriptions', { key, body }),
    update: (key, id, body) => call('PATCH', subscription(id), { key, body }),
    pause: (key, id) => call('POST', subscription(id, '/pause'), { key }),
    resume: (key, id) => call('POST', subscription(id, '/resume'), { key }),
    remove: (key, id) => call('DELETE', subscription(id), { key }),
    test: (key, id) => call('POST', subscription(id, '/test'), { key }),
    deliveries: (key, id, limit = 10) => call('GET', `${subscription(id, '/deliveries')}?limit=${limit}`, { key }),
  },
  exportUrl(kind, q, format, limit = MAX_EXPORT) {
    const params = new URLSearchParams({ kind, format, limit: String(limit) })
    if (q) params.set('q', q)
    return `/api/v1/export?${params}`
  },
}
