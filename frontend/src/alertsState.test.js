import { describe, expect, it } from 'vitest'
import {
  KEY_STORAGE, followed, formOf, needsTarget, newForm, niceClasses, readAlertsQuery, storedKey, storeKey, subscriptionBody,
  updateBody,
} from './alertsState.js'

function memory() {
  const data = new Map()
  return {
    getItem: (k) => (data.has(k) ? data.get(k) : null),
    setItem: (k, v) => data.set(k, String(v)),
    removeItem: (k) => data.delete(k),
  }
}

describe('alerts state', () => {
  it('takes the kind and query a search sends, and names the subscription after it', () => {
    expect(readAlertsQuery({ kind: 'trademark', q: ' tm=云山 ' })).toMatchObject({ type: 'query', kind: 'trademark', q: 'tm=云山', name: 'tm=云山' })
    expect(readAlertsQuery({ kind: 'copyright', q: ['x'] })).toMatchObject({ type: 'query', kind: 'patent', q: '', name: '' })
  })

  it('takes a watch a record page sends', () => {
    expect(readAlertsQuery({ type: 'trademark_watch', mark: '云山', nc: ['30', '32'], holder: '广州云山食品' })).toMatchObject({
      type: 'trademark_watch', mark: '云山', classes: '30 32', holder: '广州云山食品', name: '云山',
    })
    expect(readAlertsQuery({ type: 'record_watch', pn: 'CN114000001A' })).toMatchObject({
      type: 'record_watch', numbers: 'CN114000001A', name: 'CN114000001A',
    })
    expect(readAlertsQuery({ type: 'nope' }).type).toBe('query')
  })

  it('reads Nice classes as typed, leaving what is not one for the API to refuse', () => {
    expect(niceClasses('30, 32 ３５、9')).toEqual([30, 32, 35, 9])
    expect(niceClasses('30 x')).toEqual([30, 'x'])
    expect(niceClasses(' ')).toEqual([])
  })

  it('builds the body of each type, and says in short what each follows', () => {
    const common = { name: '', kind: 'patent', query: '', mark: '', classes: '', holder: '', numbers: '', applicants: '', channel: 'atom', target: '', digest: 'none', lang: 'zh' }
    const watch = subscriptionBody({ ...common, type: 'trademark_watch', mark: ' 云山 ', classes: '30 32', holder: '' })
    expect(watch).toEqual({ name: '云山', type: 'trademark_watch', kind: 'trademark', watch: { mark: '云山', nice_classes: [30, 32] }, channel: 'atom', lang: 'zh' })
    expect(followed({ type: 'trademark_watch', watch: { mark: '云山', nice_classes: [30, 32] } })).toBe('云山 · 30, 32')
    const records = subscriptionBody({ ...common, type: 'record_watch', numbers: 'CN114000001A\n\n US11000011B2 ', applicants: '华南理工大学' })
    expect(records).toMatchObject({ name: 'CN114000001A', type: 'record_watch', records: { numbers: ['CN114000001A', 'US11000011B2'], applicants: ['华南理工大学'] } })
    expect(records).not.toHaveProperty('query')
    expect(followed({ type: 'record_watch', records: records.records })).toBe('CN114000001A, US11000011B2, 华南理工大学')
    expect(followed({ type: 'query', query: '锂电池' })).toBe('锂电池')
  })

  it('sends an address and a digest only to channels that deliver to one', () => {
    const form = { type: 'query', name: '', kind: 'patent', query: ' coll=nev AND dist=黄埔 ', channel: 'atom', target: 'a@b.cn', digest: 'daily', lang: 'zh' }
    expect(needsTarget('atom')).toBe(false)
    expect(subscriptionBody(form)).toEqual({
      name: 'coll=nev AND dist=黄埔', type: 'query', kind: 'patent', query: 'coll=nev AND dist=黄埔', channel: 'atom', lang: 'zh',
    })
    expect(subscriptionBody({ ...form, name: '黄埔新能源车', channel: 'email' })).toMatchObject({
      name: '黄埔新能源车', channel: 'email', target: 'a@b.cn', digest: 'daily',
    })
  })

  it('keeps the key for the tab, and in the browser only when asked', () => {
    const storage = { sessionStorage: memory(), localStorage: memory() }
    storeKey('k1', false, storage)
    expect(storedKey(storage)).toBe('k1')
    expect(storage.localStorage.getItem(KEY_STORAGE)).toBeNull()
    storeKey('k2', true, storage)
    expect(storage.localStorage.getItem(KEY_STORAGE)).toBe('k2')
    storeKey('', false, storage)
    expect(storedKey(storage)).toBe('')
  })

  it('edits a subscription through the same form, changing only what may change', () => {
    const watch = {
      id: 's1', type: 'trademark_watch', kind: 'trademark', name: '羊城通', query: '',
      watch: { mark: '羊城通', nice_classes: [9, 36], holder: null, threshold: null },
      channel: 'email', target: 'a@b.cn', digest: 'none', lang: 'zh',
    }
    const form = formOf(watch)
    expect(form).toMatchObject({ type: 'trademark_watch', mark: '羊城通', classes: '9 36', holder: '', target: 'a@b.cn' })
    expect(updateBody({ ...form, classes: '9', digest: 'daily' })).toEqual({
      name: '羊城通', watch: { mark: '羊城通', nice_classes: [9] }, lang: 'zh', target: 'a@b.cn', digest: 'daily',
    })
    const feed = formOf({ id: 's2', type: 'query', kind: 'patent', name: 'x', query: '锂电池', channel: 'atom', target: null, digest: 'none', lang: 'en' })
    expect(updateBody({ ...feed, query: '锂电池 AND dist=黄埔' })).toEqual({ name: 'x', query: '锂电池 AND dist=黄埔', lang: 'en' })
  })

  it('fills a new subscription\'s form from the route, every field set', () => {
    const form = newForm({ type: 'record_watch', pn: ['CN114000001A', 'US11000011B2'] })
    expect(form).toMatchObject({ type: 'record_watch', numbers: 'CN114000001A\nUS11000011B2', query: '', channel: 'atom' })
    expect(Object.keys(newForm({})).sort()).toEqual(Object.keys(formOf({ type: 'query', kind: 'patent', name: '', channel: 'atom' })).sort())
  })

  it('builds a squatting watch and a profile feed, and edits them within what may change', () => {
    const form = { ...newForm({ type: 'squatting_watch', mark: '云山', nc: ['30'], holder: '广州云山茶业有限公司' }) }
    expect(form).toMatchObject({ type: 'squatting_watch', marks: '云山', holders: '广州云山茶业有限公司', wellKnown: true, bulk: false })
    const squatting = subscriptionBody({ ...form, marks: '云山\n 云山茶语 ', bulk: true })
    expect(squatting).toEqual({
      name: '云山', type: 'squatting_watch', kind: 'trademark', channel: 'atom', lang: 'zh',
      squatting: { marks: ['云山', '云山茶语'], nice_classes: [30], holders: ['广州云山茶业有限公司'], well_known: true, bulk: true },
    })
    const stored = { id: 's3', type: 'squatting_watch', kind: 'trademark', name: '云山', query: '', squatting: squatting.squatting, channel: 'atom', lang: 'zh' }
    expect(followed(stored)).toBe('云山, 云山茶语 · 30')
    expect(formOf(stored)).toMatchObject({ marks: '云山\n云山茶语', classes: '30', holders: '广州云山茶业有限公司', bulk: true })
    expect(updateBody({ ...formOf(stored), wellKnown: false }).squatting.well_known).toBe(false)

    const profile = subscriptionBody({ ...newForm({ type: 'profile', applicant: ' 广州视源电子科技股份有限公司 ' }), topN: '5' })
    expect(profile).toEqual({
      name: '广州视源电子科技股份有限公司', type: 'profile', channel: 'atom', lang: 'zh',
      profile: { applicant: '广州视源电子科技股份有限公司', top_n: 5, min_features: 2 },
    })
    const summary = { applicant: '广州视源电子科技', records: 2, top_n: 5, min_features: 2 }
    expect(subscriptionBody({ ...newForm({ type: 'profile', applicant: 'x' }), topN: '', minFeatures: '' }).profile)
      .toEqual({ applicant: 'x', top_n: 10, min_features: 2 })
    const feed = { id: 's4', type: 'profile', kind: 'patent', name: '视源', query: '', profile: summary, channel: 'email', target: 'a@b.cn', digest: 'none', lang: 'zh' }
    expect(followed(feed)).toBe('广州视源电子科技')
    expect(updateBody({ ...formOf(feed), digest: 'daily' })).toEqual({ name: '视源', lang: 'zh', target: 'a@b.cn', digest: 'daily' })
    expect(updateBody({ ...formOf(feed), name: '' })).not.toHaveProperty('name')
  })
})
