import { describe, expect, it } from 'vitest'
import {
  blockTable, entrantsFrom, landscapeParams, matrix, readLandscapeState, toLandscapeQuery,
  trendByCountry,
} from './landscapeState.js'

const TREND = {
  columns: ['year', 'country', 'count'],
  rows: [
    ['2019', 'CN', 2], ['2019', 'US', 1], ['2020', 'CN', 3], ['2021', 'JP', 1],
    ['2021', 'DE', 1], [null, 'CN', 4], ['2021', null, 2], ['2023', 'CN', 1],
  ],
}

describe('landscape state in the URL', () => {
  it('reads a query, falling back to the defaults', () => {
    expect(readLandscapeState({ q: ' ti=电池 ', kind: 'trademark', top: '20', years: '5', collection: 'nev' }))
      .toEqual({ kind: 'trademark', collection: '', q: 'ti=电池', top: 20, years: 5 }) // patents only
    expect(readLandscapeState({ kind: 'copyright', top: '500', years: 'x', collection: 'nev' }))
      .toEqual({ kind: 'patent', collection: 'nev', q: '', top: 10, years: 3 })
  })

  it('writes only what differs from the defaults, and the API parameters', () => {
    expect(toLandscapeQuery({ kind: 'patent', collection: 'nev', q: '电池', top: 10, years: 3 }))
      .toEqual({ collection: 'nev', q: '电池' })
    expect(toLandscapeQuery({ kind: 'trademark', collection: '', q: '', top: 5, years: 2 }))
      .toEqual({ kind: 'trademark', top: '5', years: '2' })
    expect(landscapeParams({ kind: 'patent', collection: 'nev', q: '电池', top: 5, years: 2 }))
      .toEqual({ kind: 'patent', collection: 'nev', q: '电池', top: 5, new_years: 2 })
  })
})

describe('landscape blocks', () => {
  it('gives a series a country, the smaller ones summed, years in order', () => {
    const { years, series } = trendByCountry(TREND, 2, '其他', '未知')
    expect(years).toEqual(['2019', '2020', '2021', '2022', '2023']) // 2022: none filed
    expect(series).toEqual([
      { name: 'CN', data: [2, 3, 0, 0, 1] }, // its undated filings are in no year
      { name: '未知', data: [0, 0, 2, 0, 0] },
      { name: '其他', data: [1, 0, 2, 0, 0] }, // US, JP, DE
    ])
  })

  it('lays out a matrix with the leading keys first and years in order', () => {
    const block = { rows: [['甲公司', '2021', 2], ['甲公司', '2018', 1], ['乙大学', '2020', 1], [null, '2018', 3]] }
    expect(matrix(block, '无')).toEqual({
      outer: ['甲公司', '乙大学', '无'],
      inner: ['2018', '2019', '2020', '2021'],
      cells: [[3, 0, 2], [0, 0, 1], [2, 1, 1], [0, 2, 3]],
      max: 3,
    })
    expect(matrix({ rows: [['甲公司', 'H01M', 1], ['甲公司', 'B60L', 2]] }).inner).toEqual(['B60L', 'H01M'])
    expect(matrix({ rows: [] })).toBeNull()
  })

  it('tables a block with its headings and missing keys named', () => {
    const table = blockTable({ columns: ['district', 'count'], rows: [['天河区', 3], [null, 1]] },
      (c) => ({ district: '区', count: '数量' })[c], '无区信息')
    expect(table).toEqual({ head: ['区', '数量'], body: [['天河区', 3], ['无区信息', 1]] })
  })

  it('names the new entrants window from the trend', () => {
    expect(entrantsFrom(TREND, 3)).toEqual({ from: 2021, to: 2023 })
    expect(entrantsFrom({ rows: [[null, 'CN', 1]] }, 3)).toBeNull()
  })
})
