// The subscriptions page: /alerts?kind=patent&q=… (a search's "subscribe" link fills the new
// subscription's query). An owner's API key stays in this tab, or in the browser when asked.

export const KINDS = ['patent', 'trademark'] // the kinds a saved query can follow
// a saved query; the marks like a trademark (近似商标); records' status, owners and family
export const TYPES = ['query', 'trademark_watch', 'record_watch']
export const CHANNELS = ['atom', 'email', 'webhook']
export const KEY_STORAGE = 'iphub.apiKey'

const text = (value) => (typeof value === 'string' ? value : '')
const texts = (value) => (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'string' && v.trim())

/**
 * The new subscription's fields from the route's query object: `q` and `kind` from a search;
 * `type=trademark_watch&mark=…&nc=30&nc=32&holder=…` from a trademark's page;
 * `type=record_watch&pn=…` from a record's page.
 */
export function readAlertsQuery(query) {
  const type = TYPES.includes(query.type) ? query.type : 'query'
  const q = text(query.q).trim()
  const mark = text(query.mark).trim()
  const numbers = texts(query.pn).map((n) => n.trim())
  const name = { query: q, trademark_watch: mark, record_watch: numbers.join(' ') }[type]
  return {
    type,
    kind: KINDS.includes(query.kind) ? query.kind : 'patent',
    q,
    mark,
    classes: texts(query.nc).join(' '),
    holder: text(query.holder).trim(),
    numbers: numbers.join('\n'),
    name: name.slice(0, 60),
  }
}

/** The form of a new subscription, filled in from the route's query object (readAlertsQuery). */
export function newForm(query) {
  const wanted = readAlertsQuery(query)
  return {
    type: wanted.type, kind: wanted.kind, name: wanted.name, query: wanted.q, mark: wanted.mark,
    classes: wanted.classes, holder: wanted.holder, numbers: wanted.numbers, applicants: '',
    channel: 'atom', target: '', digest: 'none', lang: 'zh',
  }
}

/** Nice classes as typed (`30, 32 ３５`): numbers, each other token left for the API to refuse. */
export function niceClasses(typed) {
  return typed.normalize('NFKC').split(/[\s,，、;；]+/).filter(Boolean).map((c) => (/^\d+$/.test(c) ? Number(c) : c))
}

/** One entry a line (numbers, applicant names). */
const lines = (typed) => typed.split(/\n/).map((l) => l.trim()).filter(Boolean)

/** Whether a channel delivers to an address of the owner's (an Atom feed has its own URL). */
export const needsTarget = (channel) => channel !== 'atom'

/** What a subscription follows, in short: its query, its mark and classes, its records. */
export function followed(sub) {
  if (sub.type === 'trademark_watch' && sub.watch) {
    const classes = sub.watch.nice_classes?.length ? ` · ${sub.watch.nice_classes.join(', ')}` : ''
    return `${sub.watch.mark}${classes}`
  }
  if (sub.type === 'record_watch' && sub.records) return [...sub.records.numbers, ...sub.records.applicants].join(', ')
  return sub.query
}

/** The POST /api/v1/subscriptions body of the form: a saved query, a trademark or a record watch. */
export function subscriptionBody(form) {
  const named = { trademark_watch: () => form.mark, record_watch: () => lines(form.numbers)[0] ?? '' }
  const fallback = (named[form.type] ?? (() => form.query))()
  const body = { name: form.name.trim() || fallback.trim().slice(0, 60), type: form.type }
  if (form.type === 'trademark_watch') {
    body.kind = 'trademark'
    body.watch = { mark: form.mark.trim(), nice_classes: niceClasses(form.classes) }
    if (form.holder.trim()) body.watch.holder = form.holder.trim()
  } else if (form.type === 'record_watch') {
    body.records = { numbers: lines(form.numbers), applicants: lines(form.applicants) }
  } else {
    body.kind = form.kind
    body.query = form.query.trim()
  }
  body.channel = form.channel
  body.lang = form.lang
  if (needsTarget(form.channel)) {
    body.target = form.target.trim()
    body.digest = form.digest
  }
  return body
}

/** The key kept by an earlier visit: this tab's, else the browser's. */
export function storedKey(storage = globalThis) {
  return storage.sessionStorage?.getItem(KEY_STORAGE) || storage.localStorage?.getItem(KEY_STORAGE) || ''
}

/** Keep `key` for this tab, and in the browser too when `remember`; '' forgets it everywhere. */
export function storeKey(key, remember, storage = globalThis) {
  for (const place of [storage.sessionStorage, storage.localStorage]) place?.removeItem(KEY_STORAGE)
  if (!key) return
  storage.sessionStorage?.setItem(KEY_STORAGE, key)
  if (remember) storage.localStorage?.setItem(KEY_STORAGE, key)
}

/** The form's fields of an existing subscription, to edit it. */
export function formOf(sub) {
  return {
    type: sub.type,
    kind: sub.kind,
    name: sub.name,
    query: sub.query ?? '',
    mark: sub.watch?.mark ?? '',
    classes: (sub.watch?.nice_classes ?? []).join(' '),
    holder: sub.watch?.holder ?? '',
    numbers: (sub.records?.numbers ?? []).join('\n'),
    applicants: (sub.records?.applicants ?? []).join('\n'),
    channel: sub.channel,
    target: sub.target ?? '',
    digest: sub.digest ?? 'none',
    lang: sub.lang ?? 'zh',
  }
}

/**
 * The PATCH body of the form: what may change (name, what it follows, address, frequency,
 * language); its type, kind and channel stay (a feed's URL is the subscription's).
 */
export function updateBody(form) {
  const { type, kind, channel, ...changes } = subscriptionBody(form)
  return changes
}
