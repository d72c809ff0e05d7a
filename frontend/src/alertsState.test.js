import { describe, expect, it } from 'vitest'
import { KEY_STORAGE, needsTarget, readAlertsQuery, storedKey, storeKey, subscriptionBody } from './alertsState.js'

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
    expect(readAlertsQuery({ kind: 'trademark', q: ' tm=云山 ' })).toEqual({ kind: 'trademark', q: 'tm=云山', name: 'tm=云山' })
    expect(readAlertsQuery({ kind: 'copyright', q: ['x'] })).toEqual({ kind: 'patent', q: '', name: '' })
  })

  it('sends an address and a digest only to channels that deliver to one', () => {
    const form = { name: '', kind: 'patent', query: ' coll=nev AND dist=黄埔 ', channel: 'atom', target: 'a@b.cn', digest: 'daily', lang: 'zh' }
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
})
