// The subscriptions page: /alerts?kind=patent&q=… (a search's "subscribe" link fills the new
// subscription's query). An owner's API key stays in this tab, or in the browser when asked.

export const KINDS = ['patent', 'trademark'] // the kinds a saved query can follow
// a saved query; the marks like a trademark (近似商标); records' status, owners and family;
// imitations of the owner's or well-known marks (抢注预警); a firm's profile feed (精准推送)
export const TYPES = ['query', 'trademark_watch', 'record_watch', 'squatting_watch', 'profile']
export const CHANNELS = ['atom', 'email', 'webhook']
export const KEY_STORAGE = 'iphub.apiKey'

const text = (value) => (typeof value === 'string' ? value : '')
const texts = (value) => (Array.isArray(value) ? value : [value]).filter((v) => typeof v === 'string' && v.trim())

/**
 * The new subscription's fields from the route's query object: `q` and `kind` from a search;
 * `type=trademark_watch&mark=…&nc=30&nc=32&holder=…` from a trademark's page;
 * `type=record_watch&pn=…` from a record's page; `type=squatting_watch&mark=…&nc=…&holder=…`
 * (the mark among the owner's marks, the holder among its own applicants);
 * `type=profile&applicant=…`.
 */
export function readAlertsQuery(query) {
  const type = TYPES.includes(query.type) ? query.type : 'query'
  const q = text(query.q).trim()
  const mark = text(query.mark).trim()
  const numbers = texts(query.pn).map((n) => n.trim())
  const applicant = text(query.applicant).trim()
  const name = {
    query: q, trademark_watch: mark, record_watch: numbers.join(' '), squatting_watch: mark, profile: applicant,
  }[type]
  return {
    type,
    kind: KINDS.includes(query.kind) ? query.kind : 'patent',
    q,
    mark,
    classes: texts(query.nc).join(' '),
    holder: text(query.holder).trim(),
    numbers: numbers.join('\n'),
    applicant,
    name: name.slice(0, 60),
  }
}

/** The form of a new subscription, filled in from the route's query object (readAlertsQuery). */
export function newForm(query) {
  const wanted = readAlertsQuery(query)
  return {
    type: wanted.type, kind: wanted.kind, name: wanted.name, query: wanted.q, mark: wanted.mark,
    classes: wanted.classes, holder: wanted.holder, numbers: wanted.numbers, applicants: '',
    // a squatting watch: the owner's marks and own applicants, one a line
    marks: wanted.mark, holders: wanted.holder, wellKnown: true, bulk: false,
    // a profile feed: the firm, the most records a batch, the profile features a record must match
    applicant: wanted.applicant, topN: 10, minFeatures: 2,
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
  if (sub.type === 'profile' && sub.profile) return sub.profile.applicant
  if (sub.type === 'squatting_watch' && sub.squatting) {
    const { marks, nice_classes: classes } = sub.squatting
    return `${marks.join(', ')}${classes?.length ? ` · ${classes.join(', ')}` : ''}`
  }
  return sub.query
}

/** The POST /api/v1/subscriptions body of the form, of each of its TYPES. */
export function subscriptionBody(form) {
  const named = {
    trademark_watch: () => form.mark,
    record_watch: () => lines(form.numbers)[0] ?? '',
    squatting_watch: () => lines(form.marks)[0] ?? '',
    profile: () => form.applicant,
  }
  const fallback = (named[form.type] ?? (() => form.query))()
  const body = { name: form.name.trim() || fallback.trim().slice(0, 60), type: form.type }
  if (form.type === 'trademark_watch') {
    body.kind = 'trademark'
    body.watch = { mark: form.mark.trim(), nice_classes: niceClasses(form.classes) }
    if (form.holder.trim()) body.watch.holder = form.holder.trim()
  } else if (form.type === 'record_watch') {
    body.records = { numbers: lines(form.numbers), applicants: lines(form.applicants) }
  } else if (form.type === 'squatting_watch') {
    body.kind = 'trademark'
    body.squatting = {
      marks: lines(form.marks), nice_classes: niceClasses(form.classes), holders: lines(form.holders),
      well_known: form.wellKnown, bulk: form.bulk,
    }
  } else if (form.type === 'profile') {
    // an emptied number field is '' (0 to Number): the defaults then, as the API's own
    body.profile = { applicant: form.applicant.trim(), top_n: Number(form.topN) || 10, min_features: Number(form.minFeatures) || 2 }
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
    classes: (sub.watch?.nice_classes ?? sub.squatting?.nice_classes ?? []).join(' '),
    holder: sub.watch?.holder ?? '',
    numbers: (sub.records?.numbers ?? []).join('\n'),
    applicants: (sub.records?.applicants ?? []).join('\n'),
    marks: (sub.squatting?.marks ?? []).join('\n'),
    holders: (sub.squatting?.holders ?? []).join('\n'),
    wellKnown: sub.squatting?.well_known ?? true,
    bulk: sub.squatting?.bulk ?? false,
    // a profile is edited apart (PUT …/profile): the form changes the rest
    applicant: '', topN: 10, minFeatures: 2,
    channel: sub.channel,
    target: sub.target ?? '',
    digest: sub.digest ?? 'none',
    lang: sub.lang ?? 'zh',
  }
}

/**
 * The PATCH body of the form: what may change (name, what it follows, address, frequency,
 * language); its type, kind and channel stay (a feed's URL is the subscription's), and a profile
 * feed's profile is edited apart (PUT …/profile).
 */
export function updateBody(form) {
  const { type, kind, channel, profile, ...changes } = subscriptionBody(form)
  if (form.type === 'profile' && !form.name.trim()) delete changes.name // its name stays
  return changes
}
