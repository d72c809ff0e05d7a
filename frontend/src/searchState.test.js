import { describe, expect, it } from 'vitest'
import {
  KINDS, composeQuery, facetRequests, filterValue, pathFor, positionInQuery, quoteValue, readState, relaxations,
  searchLocation, toQuery, withFilter, collectionOf, withCollection,
} from './searchState.js'

describe('URL state', () => {
  it('reads and writes the route query, leaving out defaults', () => {
    const state = readState({ q: '锂电池', f: ['dist=天河区', 'dist=天河区'], page: '2', sort: 'bogus' })
    expect(state).toEqual({ q: '锂电池', filters: ['dist=天河区'], page: 2, sort: 'relevance' })
    expect(toQuery(state)).toEqual({ q: '锂电池', f: ['dist=天河区'], page: '2' })
    expect(toQuery(readState({}))).toEqual({})
  })

  it('toggling a filter goes back to page 1', () => {
    const state = { q: 'x', filters: ['ind=a'], page: 3, sort: 'relevance' }
    expect(withFilter(state, 'dist=b', true)).toMatchObject({ filters: ['ind=a', 'dist=b'], page: 1 })
    expect(withFilter(state, 'ind=a', false).filters).toEqual([])
  })

  it('each kind has its own page', () => {
    expect(KINDS.map(pathFor)).toEqual(['/patents', '/trademarks', '/copyrights'])
    expect(searchLocation('copyright', { q: '2016SR309930' })).toEqual({ path: '/copyrights', query: { q: '2016SR309930' } })
    expect(pathFor('unknown')).toBe('/patents')
  })
})

describe('composeQuery', () => {
  it('ORs filters of one field and ANDs fields, after the query', () => {
    const composed = composeQuery('ti=电池', ['dist=天河区', 'ad=2021', 'dist=番禺区'])
    expect(composed).toEqual({ text: '(ti=电池) AND (dist=天河区 OR dist=番禺区) AND ad=2021', offset: 1 })
  })

  it('leaves a lone query untouched and a lone filter without parentheses', () => {
    expect(composeQuery('a b', [])).toEqual({ text: 'a b', offset: 0 })
    expect(composeQuery('', ['nc=30'])).toEqual({ text: 'nc=30', offset: -1 })
  })

  it('maps an error position back into the query box', () => {
    const q = 'ti=('
    const composed = composeQuery(q, ['dist=天河区'])
    expect(positionInQuery(4, composed, q)).toBe(3)
    expect(positionInQuery(20, composed, q)).toBeNull()
    expect(positionInQuery(0, composeQuery('', ['x=']), '')).toBeNull()
  })

  it('asks for each filtered facet without its own filters', () => {
    const requests = facetRequests('电池', ['dist=天河区', 'ipc=H01M'], ['district', 'ipc_class', 'ipc_subclass', 'year'])
    expect(requests).toEqual([
      { facets: ['district'], text: '(电池) AND ipc=H01M' },
      { facets: ['ipc_class', 'ipc_subclass'], text: '(电池) AND dist=天河区' },
    ])
  })
})

describe('values and relaxations', () => {
  it('quotes values that are not plain words', () => {
    expect(quoteValue('华南理工大学')).toBe('华南理工大学')
    expect(quoteValue('H01M 10/0525')).toBe('"H01M 10/0525"')
    expect(filterValue('kind="invention_grant"')).toBe('invention_grant')
  })

  it('suggests dropping filters, field codes, quotes and requiring all words', () => {
    const state = { q: 'ti="固态 电池" pa=比亚迪', filters: ['dist=天河区'], page: 2, sort: 'relevance' }
    const hints = relaxations(state)
    expect(hints.map((h) => h.key)).toEqual([
      'results.dropFilter', 'results.plainWords', 'results.noQuotes', 'results.anyWord',
    ])
    expect(hints[0].state.filters).toEqual([])
    expect(hints[1].state.q).toBe('"固态 电池" 比亚迪')
    expect(hints.every((h) => h.state.page === 1)).toBe(true)
  })
})

describe('key-industry collections', () => {
  it('is one coll= filter, replaced or removed, beside the other filters', () => {
    const state = { q: '锂电池', filters: ['dist=黄埔区'], page: 3, sort: 'relevance' }
    expect(collectionOf(state.filters)).toBe('')
    const nev = withCollection(state, 'nev')
    expect(nev).toMatchObject({ filters: ['dist=黄埔区', 'coll=nev'], page: 1 })
    expect(collectionOf(nev.filters)).toBe('nev')
    expect(withCollection(nev, 'next-gen-it').filters).toEqual(['dist=黄埔区', 'coll=next-gen-it'])
    expect(withCollection(nev, '').filters).toEqual(['dist=黄埔区'])
    expect(composeQuery(nev.q, nev.filters).text).toBe('(锂电池) AND dist=黄埔区 AND coll=nev')
  })
})
