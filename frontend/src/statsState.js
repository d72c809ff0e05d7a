// The statistics page's state lives in the URL, like the search page's:
// /stats?kind=patent&dist=黄埔区&ind=新能源与节能环保&collection=nev&q=…&group_by=applicant&from=2018&to=2024
// and its pure helpers turn /api/v1/stats/holdings answers into chart series and CSV.

export const STATS_KINDS = ['patent', 'trademark', 'copyright']
export const MEASURES = ['applications', 'grants', 'valid']
/** The measures shown for a kind: a copyright registration is granted when registered, so its
 * one figure is the registrations (the API's `applications`). */
export const measuresOf = (kind) => (kind === 'copyright' ? ['applications'] : MEASURES)
/** Whether a kind is tagged with industries (copyright registrations are not). */
export const hasIndustries = (kind) => kind !== 'copyright'
// docs/statistics.md, "Endpoints": the dimensions each kind accepts.
const COMMON_DIMS = ['district', 'industry', 'applicant', 'applicant_type', 'year', 'grant_year',
  'status', 'city', 'province', 'country']
export const DIMENSIONS = {
  patent: [...COMMON_DIMS, 'kind', 'ipc_section', 'ipc_class', 'ipc_subclass', 'keyword'],
  trademark: [...COMMON_DIMS, 'nice_class'],
  copyright: ['district', 'applicant', 'applicant_type', 'year', 'city', 'province', 'country', 'kind'],
}
// The eleven districts of Guangzhou (since 2014).
export const DISTRICTS = ['越秀区', '海珠区', '荔湾区', '天河区', '白云区', '黄埔区', '番禺区',
  '花都区', '南沙区', '从化区', '增城区']

const text = (value) => (typeof value === 'string' ? value.trim() : '')
const year = (value) => {
  const n = Number.parseInt(value, 10)
  return n >= 1985 && n <= 2100 ? n : null
}

/** The page state of a route's query object; unknown values fall back to the defaults. */
export function readStatsState(query) {
  const kind = STATS_KINDS.includes(query.kind) ? query.kind : 'patent'
  const groupBy = text(query.group_by).split(',').map((d) => d.trim())
    .filter((d) => DIMENSIONS[kind].includes(d)).slice(0, 2)
  let from = year(query.from)
  let to = year(query.to)
  if (from && to && from > to) [from, to] = [to, from]
  return {
    kind,
    dist: DISTRICTS.includes(query.dist) ? query.dist : '',
    ind: hasIndustries(kind) ? text(query.ind) : '',
    // a key-industry collection (专题数据库) is defined over patents
    collection: kind === 'patent' ? text(query.collection) : '',
    q: text(query.q),
    groupBy: groupBy.length ? [...new Set(groupBy)] : ['district'],
    from,
    to,
  }
}

/** The route query object of a state, without defaults, so bookmarks stay short. */
export function toStatsQuery(state) {
  const out = {}
  if (state.kind && state.kind !== 'patent') out.kind = state.kind
  if (state.dist) out.dist = state.dist
  if (state.ind) out.ind = state.ind
  if (state.collection) out.collection = state.collection
  if (state.q) out.q = state.q
  const dims = state.groupBy.filter(Boolean)
  if (dims.length && !(dims.length === 1 && dims[0] === 'district')) out.group_by = dims.join(',')
  if (state.from) out.from = String(state.from)
  if (state.to) out.to = String(state.to)
  return out
}

const quoted = (value) => `"${value.replace(/"/g, '')}"`

/** The query sent to the API: the district and industry picked, ANDed with the typed query. */
export function statsQuery(state) {
  const parts = []
  if (state.dist) parts.push(`dist=${quoted(state.dist)}`)
  if (state.ind) parts.push(`ind=${quoted(state.ind)}`)
  if (state.q) parts.push(parts.length ? `(${state.q})` : state.q)
  return parts.join(' AND ')
}

/** The holdings request's parameters for a state. */
export function holdingsParams(state) {
  const params = { kind: state.kind, q: statsQuery(state), group_by: state.groupBy.join(','), size: 20 }
  if (state.collection) params.collection = state.collection
  if (state.from && state.to) Object.assign(params, { from_year: state.from, to_year: state.to })
  return params
}

/**
 * The answer with its rows (and inner rows) labelled by `labelOf(dimension, key)` where that
 * gives a label (an enumerated value: `software` → 计算机软件), as the API labelled them elsewhere.
 */
export function withLabels(answer, labelOf) {
  if (!answer) return answer
  const [outer, inner] = answer.group_by ?? []
  const relabel = (row, dim) => {
    const own = row.key == null ? null : labelOf(dim, row.key)
    return own ? { ...row, label: own } : row
  }
  const rows = (answer.rows ?? []).map((row) => ({
    ...relabel(row, outer),
    rows: (row.rows ?? []).map((sub) => relabel(sub, inner)),
  }))
  return { ...answer, rows }
}

/** The label of a row: the API's (which names the `key: null` row), else its key. */
export const rowLabel = (row) => row.label ?? (row.key == null ? '—' : String(row.key))

/** Bar chart data: one category per row, one series per measure. */
export function barSeries(answer) {
  const rows = answer?.rows ?? []
  return {
    categories: rows.map(rowLabel),
    series: measuresOf(answer?.kind).map((m) => ({ measure: m, data: rows.map((r) => r[m] ?? 0) })),
  }
}

/** Trend line data: the years and one series per measure the answer has a trend for. */
export function trendSeries(answer) {
  const trend = answer?.trend
  if (!trend) return null
  const years = [...new Set(Object.values(trend).flatMap((t) => t.points.map((p) => p.year)))]
    .sort((a, b) => a - b)
  const shown = measuresOf(answer.kind)
  const series = Object.entries(trend).filter(([measure]) => shown.includes(measure)).map(([measure, t]) => {
    const byYear = new Map(t.points.map((p) => [p.year, p.value]))
    return { measure, cagr: t.cagr ?? null, data: years.map((y) => byYear.get(y) ?? 0) }
  })
  return { years, series }
}

/**
 * The layout of a heat-map, for ECharts: `outer` the row names (the y axis) in their order,
 * `cells` as `[outer index, inner name, value]`; the inner names (the x axis) each once, in
 * the order `order` puts them (as they first come by default); the cells as
 * `[inner index, outer index, value]`, and the largest value (0 without a cell).
 */
export function heatLayout(outer, cells, order = (names) => names) {
  const inner = order([...new Set(cells.map(([, name]) => name))])
  let max = 0
  const placed = cells.map(([row, name, value]) => {
    max = Math.max(max, value)
    return [inner.indexOf(name), row, value]
  })
  return { outer, inner, cells: placed, max }
}

/** Heat-map data of a two-dimension answer: outer rows × the union of inner keys (applications),
 * inner keys in the API's order, or by number when all are numbers (years without filings are
 * left out). */
export function heatmapData(answer) {
  const rows = answer?.rows ?? []
  if ((answer?.group_by ?? []).length < 2) return null
  const cells = rows.flatMap((row, i) => (row.rows ?? []).map((sub) => [i, rowLabel(sub), sub.applications ?? 0]))
  const byNumber = (names) => (names.every((k) => /^\d+$/.test(k)) ? names.sort((a, b) => Number(a) - Number(b)) : names)
  return heatLayout(rows.map(rowLabel), cells, byNumber)
}

/**
 * The table shown under the charts, as header + rows of plain values: one line per row
 * (and per inner row with two dimensions), then `other` when it is not zero.
 */
export function holdingsTable(answer, headers) {
  const dims = answer?.group_by ?? []
  const measures = measuresOf(answer?.kind)
  const head = [...dims.map((d) => headers[d] ?? d), ...measures.map((m) => headers[m] ?? m)]
  const body = []
  const figures = (r) => measures.map((m) => r[m] ?? 0)
  for (const row of answer?.rows ?? []) {
    if (dims.length > 1 && row.rows?.length) {
      for (const sub of row.rows) body.push([rowLabel(row), rowLabel(sub), ...figures(sub)])
    } else {
      body.push([rowLabel(row), ...(dims.length > 1 ? [''] : []), ...figures(row)])
    }
  }
  const other = answer?.other
  if (other && measures.some((m) => other[m])) {
    body.push([headers.other ?? 'other', ...(dims.length > 1 ? [''] : []), ...figures(other)])
  }
  return { head, body }
}

// text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading quote,
// as the API's CSV does (search_api/spreadsheet.py); a number, negative ones too, stays one
const FORMULA = /^[=+\-@\t\r]/
const NUMBER = /^-?\d+(\.\d+)?$/
const cell = (value) => {
  let s = value == null ? '' : String(value)
  if (typeof value !== 'number' && FORMULA.test(s) && !NUMBER.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** RFC 4180 CSV of a table (CRLF line ends, quoted where needed; formulas neutralised). */
export function toCsv({ head, body }) {
  return [head, ...body].map((line) => line.map(cell).join(',')).join('\r\n') + '\r\n'
}
