import { describe, expect, it } from 'vitest'
import {
  barSeries, heatLayout, heatmapData, holdingsParams, holdingsTable, readStatsState, statsQuery, toCsv,
  toStatsQuery, trendSeries, withLabels,
} from './statsState.js'

const ONE_DIM = {
  group_by: ['applicant'],
  total: { applications: 5, grants: 3, valid: 2 },
  rows: [
    { key: '广州汽车集团股份有限公司', label: '广州汽车集团股份有限公司', applications: 3, grants: 2, valid: 2, rows: [] },
    { key: null, label: '无区信息 / no district', applications: 1, grants: 0, valid: 0, rows: [] },
  ],
  other: { applications: 1, grants: 1, valid: 0 },
  trend: {
    applications: { points: [{ year: 2020, value: 1, yoy: null }, { year: 2021, value: 2, yoy: 1 }], cagr: 1 },
    grants: { points: [{ year: 2021, value: 1, yoy: null }], cagr: null },
  },
}

const TWO_DIMS = {
  group_by: ['district', 'year'],
  rows: [
    { key: '天河区', label: '天河区', applications: 2, grants: 1, valid: 1, rows: [
      { key: '2020', label: '2020', applications: 1, grants: 0, valid: 0 },
      { key: '2016', label: '2016', applications: 1, grants: 1, valid: 1 },
    ] },
    { key: '黄埔区', label: '黄埔区', applications: 4, grants: 0, valid: 0, rows: [
      { key: '2020', label: '2020', applications: 4, grants: 0, valid: 0 },
    ] },
  ],
  other: { applications: 0, grants: 0, valid: 0 },
}

describe('the URL state', () => {
  it('reads and writes a bookmarkable state, dropping defaults and unknown values', () => {
    const state = readStatsState({ dist: '黄埔区', ind: '新能源与节能环保', group_by: 'applicant,bogus', from: '2024', to: '2018' })
    expect(state).toEqual({ kind: 'patent', dist: '黄埔区', ind: '新能源与节能环保', collection: '', q: '', groupBy: ['applicant'], from: 2018, to: 2024 })
    expect(toStatsQuery(state)).toEqual({ dist: '黄埔区', ind: '新能源与节能环保', group_by: 'applicant', from: '2018', to: '2024' })
    expect(readStatsState({ kind: 'x', dist: '东城区', group_by: 'nice_class' })).toMatchObject({ kind: 'patent', dist: '', groupBy: ['district'] })
    expect(toStatsQuery(readStatsState({}))).toEqual({})
  })

  it('ANDs the district, the industry and the typed query', () => {
    expect(statsQuery({ dist: '黄埔区', ind: '新能源与节能环保', q: 'ti=电池 OR ti=光伏' }))
      .toBe('dist="黄埔区" AND ind="新能源与节能环保" AND (ti=电池 OR ti=光伏)')
    expect(statsQuery({ dist: '', ind: '', q: 'ti=电池' })).toBe('ti=电池')
    const params = holdingsParams(readStatsState({ kind: 'trademark', group_by: 'district,nice_class', from: '2019', to: '2021' }))
    expect(params).toEqual({ kind: 'trademark', q: '', group_by: 'district,nice_class', size: 20, from_year: 2019, to_year: 2021 })
  })

  it('sends a key-industry collection beside the query, for patents only', () => {
    const state = readStatsState({ collection: 'nev', q: 'ti=电池' })
    expect(toStatsQuery(state)).toEqual({ collection: 'nev', q: 'ti=电池' })
    expect(holdingsParams(state)).toMatchObject({ q: 'ti=电池', collection: 'nev' })
    expect(readStatsState({ kind: 'trademark', collection: 'nev' }).collection).toBe('')
  })
})

describe('chart data', () => {
  it('makes one bar series per measure, keeping the no-district row', () => {
    expect(barSeries(ONE_DIM)).toEqual({
      categories: ['广州汽车集团股份有限公司', '无区信息 / no district'],
      series: [
        { measure: 'applications', data: [3, 1] },
        { measure: 'grants', data: [2, 0] },
        { measure: 'valid', data: [2, 0] },
      ],
    })
  })

  it('aligns trend series on the union of years', () => {
    expect(trendSeries(ONE_DIM)).toEqual({
      years: [2020, 2021],
      series: [
        { measure: 'applications', cagr: 1, data: [1, 2] },
        { measure: 'grants', cagr: null, data: [0, 1] },
      ],
    })
    expect(trendSeries({ rows: [] })).toBeNull()
  })

  it('builds a heat-map matrix of two dimensions, numeric keys sorted', () => {
    expect(heatmapData(TWO_DIMS)).toEqual({
      outer: ['天河区', '黄埔区'],
      inner: ['2016', '2020'],
      cells: [[1, 0, 1], [0, 0, 1], [1, 1, 4]],
      max: 4,
    })
    expect(heatmapData(ONE_DIM)).toBeNull()
  })

  it('lays out a heat-map: inner names once, in the order asked, cells by index', () => {
    const cells = [[0, 'H01M', 2], [1, 'B60L', 5], [1, 'H01M', 1]]
    expect(heatLayout(['甲公司', '乙大学'], cells)).toEqual({
      outer: ['甲公司', '乙大学'],
      inner: ['H01M', 'B60L'], // as they first come
      cells: [[0, 0, 2], [1, 1, 5], [0, 1, 1]],
      max: 5,
    })
    expect(heatLayout(['甲公司', '乙大学'], cells, (names) => names.sort()).cells)
      .toEqual([[1, 0, 2], [0, 1, 5], [1, 1, 1]])
    expect(heatLayout(['甲公司'], [])).toEqual({ outer: ['甲公司'], inner: [], cells: [], max: 0 })
  })

  it('keeps the holdings heat-map\'s inner keys in the API order unless all are numbers', () => {
    const answer = { group_by: ['district', 'status'], rows: [
      { key: '天河区', rows: [{ key: 'valid', label: '有效', applications: 2 }, { key: 'pending', label: '审中', applications: 1 }] },
      { key: '黄埔区', rows: [] },
    ] }
    expect(heatmapData(answer)).toEqual({
      outer: ['天河区', '黄埔区'], // a row without inner rows keeps its line
      inner: ['有效', '审中'],
      cells: [[0, 0, 2], [1, 0, 1]],
      max: 2,
    })
  })
})

describe('the table and its CSV', () => {
  const headers = { applicant: '申请人', district: '区', year: '申请年', applications: '申请量', grants: '授权量', valid: '有效量', other: '其他' }

  it('lists the rows and other, exactly the figures of the answer', () => {
    const table = holdingsTable(ONE_DIM, headers)
    expect(table.head).toEqual(['申请人', '申请量', '授权量', '有效量'])
    expect(table.body).toEqual([
      ['广州汽车集团股份有限公司', 3, 2, 2],
      ['无区信息 / no district', 1, 0, 0],
      ['其他', 1, 1, 0],
    ])
  })

  it('flattens two dimensions into one line per cell', () => {
    expect(holdingsTable(TWO_DIMS, headers).body).toEqual([
      ['天河区', '2020', 1, 0, 0],
      ['天河区', '2016', 1, 1, 1],
      ['黄埔区', '2020', 4, 0, 0],
    ])
  })

  it('writes RFC 4180 CSV', () => {
    expect(toCsv({ head: ['a', 'b'], body: [['x, "y"', 1], [null, 0]] }))
      .toBe('a,b\r\n"x, ""y""",1\r\n,0\r\n')
  })

  it('neutralises cells a spreadsheet would run as formulas, numbers kept', () => {
    const csv = toCsv({ head: ['applicant', 'n'], body: [['=HYPERLINK("x")', -3], ['+cmd', '-68.5'], ['@SUM(1)', 2]] })
    expect(csv).toBe('applicant,n\r\n"\'=HYPERLINK(""x"")",-3\r\n\'+cmd,-68.5\r\n\'@SUM(1),2\r\n')
  })
})

describe('copyright registrations', () => {
  const REGISTRATIONS = { ...ONE_DIM, kind: 'copyright', group_by: ['kind'] }

  it('count one figure, the registrations, in bars, trend and table', () => {
    expect(barSeries(REGISTRATIONS).series.map((s) => s.measure)).toEqual(['applications'])
    expect(trendSeries(REGISTRATIONS).series.map((s) => s.measure)).toEqual(['applications'])
    const table = holdingsTable(REGISTRATIONS, { kind: '登记类型', applications: '登记量', other: '其他' })
    expect(table.head).toEqual(['登记类型', '登记量'])
    expect(table.body).toEqual([['广州汽车集团股份有限公司', 3], ['无区信息 / no district', 1], ['其他', 1]])
    expect(barSeries({ ...ONE_DIM, kind: 'patent' }).series.map((s) => s.measure)).toEqual(['applications', 'grants', 'valid'])
  })

  it('have no industry, and group by their type', () => {
    const state = readStatsState({ kind: 'copyright', ind: '新一代信息技术', group_by: 'kind,industry' })
    expect(state).toMatchObject({ kind: 'copyright', ind: '', groupBy: ['kind'] })
    expect(holdingsParams(state)).toMatchObject({ kind: 'copyright', q: '', group_by: 'kind' })
  })
})

describe('withLabels', () => {
  it('names enumerated keys in rows and inner rows, leaving the rest and the null row', () => {
    const answer = {
      group_by: ['kind', 'year'],
      rows: [
        { key: 'software', label: 'software', applications: 1, rows: [{ key: '2016', label: '2016', applications: 1 }] },
        { key: null, label: '无 kind / no kind', applications: 1, rows: [] },
      ],
    }
    const names = { software: '计算机软件' }
    const out = withLabels(answer, (dim, key) => (dim === 'kind' ? names[key] ?? key : null))
    expect(out.rows.map((r) => r.label)).toEqual(['计算机软件', '无 kind / no kind'])
    expect(out.rows[0].rows[0].label).toBe('2016')
    expect(answer.rows[0].label).toBe('software') // the answer itself is left as it came
    expect(withLabels(null, () => 'x')).toBeNull()
  })
})
