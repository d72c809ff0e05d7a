// Chinese by default, English on request; the choice is kept in localStorage.
import { ref } from 'vue'
import { messages } from './messages.js'

const STORAGE_KEY = 'iphub.lang'
export const LOCALES = ['zh', 'en']

function initialLocale() {
  try {
    const saved = globalThis.localStorage?.getItem(STORAGE_KEY)
    if (LOCALES.includes(saved)) return saved
  } catch {
    // storage may be blocked; fall through to the default
  }
  return 'zh'
}

export const locale = ref(initialLocale())

export function setLocale(value) {
  if (!LOCALES.includes(value)) return
  locale.value = value
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, value)
  } catch {
    // not fatal: the switch holds for this page
  }
  if (globalThis.document) document.documentElement.lang = value === 'zh' ? 'zh-CN' : 'en'
}

function lookup(table, key) {
  return key.split('.').reduce((node, part) => (node == null ? undefined : node[part]), table)
}

const message = (key) => lookup(messages[locale.value], key) ?? lookup(messages.zh, key)

/** Whether `key` has a message (an empty one too: '' says "leave it out"). */
export const has = (key) => typeof message(key) === 'string'

/** The message for `key` in the current locale, with `{name}` placeholders filled from `params`. */
export function t(key, params = {}) {
  const text = message(key) ?? key
  if (typeof text !== 'string') return key
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`))
}

const OWN_CODES = { trademark: 'codesTrademark', copyright: 'codesCopyright' }

/**
 * The label of a field code of the query language in a search of `kind`: a code that means
 * something else for trademarks (`pn`: the registration or application number, `pd`: the
 * preliminary publication) or copyright registrations (`pa`: the owner, `pn`: the
 * registration number) has its own, the others are shared.
 */
export function codeLabel(code, kind) {
  const own = `${OWN_CODES[kind]}.${code}`
  return OWN_CODES[kind] && has(own) ? t(own) : t(`codes.${code}`)
}

/** A label for an enumerated value (`group` e.g. "status"), or the value itself. */
export function label(group, value) {
  const text = lookup(messages[locale.value], `values.${group}.${value}`)
  return typeof text === 'string' ? text : String(value)
}

/** Of a pair of API messages (`message_zh`, `message_en`), the one for the current locale. */
export function pick(zh, en) {
  return (locale.value === 'en' ? en || zh : zh || en) || ''
}

/** What an API problem (problem+json) says, in the page's language: its message, else its detail or title. */
export function problemText(problem = {}) {
  return pick(problem.message_zh, problem.message_en) || problem.detail || problem.title || ''
}

/** A failed API call said plainly: the network, a rate limit, an outage, a fault, or the API's own words. */
export function errorText(error) {
  const { status, problem = {} } = error
  if (status === 0) return t('errors.network')
  if (status === 429) return t('errors.rate')
  if (status === 503) return t('errors.unavailable')
  if (status >= 500) return t('errors.server', { status })
  return problemText(problem) || t('errors.server', { status })
}

/** A number as the page's language writes it (1,985); any other value as it is. */
export function formatNumber(value) {
  return typeof value === 'number' ? value.toLocaleString(locale.value === 'en' ? 'en' : 'zh-CN') : value
}
