// 近似商标查询: the similar-mark search's state, kept in the URL (/marks?mark=云山&nc=30,43&live=1)
// so a result can be bookmarked and shared, and the API's parameters made from it.
import { niceClasses } from './alertsState.js'
import { filterCode, filterValue, quoteValue } from './searchState.js'

/** Longest mark the similar-mark search takes, and a watch keeps (the API's limits). */
export const MAX_MARK = 50
export const MAX_WATCHED_MARK = 100

/** The reasons the API names (nlp.marks.compare's signals), in the order a list shows them. */
export const SIGNALS = [
  'identical', 'pinyin_identical', 'shape_similar', 'contains', 'translation',
  'translation_contains', 'char_near', 'pinyin_near', 'same_class', 'related_class', 'any_class',
]

const text = (value) => (typeof value === 'string' ? value : '')

/** The form as the URL gives it: the mark, the classes as typed, live marks only. */
export function readMarksQuery(query) {
  return { mark: text(query.mark), classes: text(query.nc), live: query.live === '1' }
}

/** The URL of a search, from the form (empty parts left out). */
export function marksLocation(form) {
  const query = {}
  if (form.mark.trim()) query.mark = form.mark.trim()
  const classes = niceClasses(form.classes)
  if (classes.length) query.nc = classes.join(',')
  if (form.live) query.live = '1'
  return { path: '/marks', query }
}

/** The API's parameters: the classes repeated (nc=30&nc=43), as typed, for the API to judge. */
export function marksParams(form) {
  const params = new URLSearchParams({ mark: form.mark.trim() })
  for (const c of niceClasses(form.classes)) params.append('nc', String(c))
  if (form.live) params.set('live_only', 'true')
  return params
}

/** A score as a percentage (0.8125 → 81). */
export const percent = (score) => Math.round(score * 100)

/** Whether a trademark watch would report a mark of this score. */
export const likely = (score, threshold) => score >= threshold

/**
 * A subscription about the proposed mark on the 订阅 page, its form filled in: a watch for
 * similar filings (`trademark_watch`), or a squatting watch (`squatting_watch`, 抢注预警).
 */
export function watchLocation(form, type = 'trademark_watch') {
  const query = { type, mark: form.mark.trim() }
  const classes = niceClasses(form.classes)
  if (classes.length) query.nc = classes.map(String)
  return { path: '/alerts', query }
}

const OPERATOR = /(^|\s)(AND|OR|NOT|与|或|非)(\s|$)/i
const SYNTAX = /[=<>()"“”*]/

/**
 * The similar-mark search of a trademark search, when its words are a mark (云山, `tm=云山`) and
 * not a query: the mark, and the Nice classes of its nc= filters; else null.
 */
export function marksOfSearch(q, filters = []) {
  const mark = q.trim().replace(/^tm\s*=\s*/i, '').trim()
  if (!mark || mark.length > MAX_MARK || SYNTAX.test(mark) || OPERATOR.test(mark)) return null
  const classes = filters.filter((f) => filterCode(f) === 'nc').map(filterValue)
  return marksLocation({ mark, classes: classes.join(' '), live: false })
}

/**
 * The trademark search whose nice_class facet says in which classes the register files goods
 * like these (茶饮料 → 30, 32): a user who does not know the Nice classification asks the
 * register how others classified them.
 */
export function goodsQuery(goods) {
  const wanted = goods.trim().replace(/["“”]/g, '')
  return wanted ? `gs=${quoteValue(wanted)}` : ''
}

/** The classes as typed with one more (kept as typed, the new one once). */
export function withClass(typed, nice) {
  const classes = niceClasses(typed)
  return classes.includes(Number(nice)) ? typed : [...classes, Number(nice)].join(' ')
}
