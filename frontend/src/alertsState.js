// The subscriptions page: /alerts?kind=patent&q=… (a search's "subscribe" link fills the new
// subscription's query). An owner's API key stays in this tab, or in the browser when asked.

export const KINDS = ['patent', 'trademark'] // the kinds a saved query can follow
export const CHANNELS = ['atom', 'email', 'webhook']
export const KEY_STORAGE = 'iphub.apiKey'

const text = (value) => (typeof value === 'string' ? value : '')

/** The new subscription's fields from the route's query object. */
export function readAlertsQuery(query) {
  const q = text(query.q).trim()
  return {
    kind: KINDS.includes(query.kind) ? query.kind : 'patent',
    q,
    name: q.slice(0, 60),
  }
}

/** Whether a channel delivers to an address of the owner's (an Atom feed has its own URL). */
export const needsTarget = (channel) => channel !== 'atom'

/** The POST /api/v1/subscriptions body of the form: a saved query. */
export function subscriptionBody(form) {
  const body = {
    name: form.name.trim() || form.query.trim().slice(0, 60),
    type: 'query',
    kind: form.kind,
    query: form.query.trim(),
    channel: form.channel,
    lang: form.lang,
  }
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
