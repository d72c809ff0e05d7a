import { describe, expect, it } from 'vitest'
import {
  goodsQuery, likely, marksLocation, marksOfSearch, marksParams, percent, readMarksQuery, watchLocation, withClass,
} from './marksState.js'

describe('similar-mark search state', () => {
  it('reads the form from the URL, and ignores what is not a string', () => {
    expect(readMarksQuery({ mark: '云山', nc: '30,43', live: '1' })).toEqual({ mark: '云山', classes: '30,43', live: true })
    expect(readMarksQuery({ mark: ['a', 'b'], live: 'yes' })).toEqual({ mark: '', classes: '', live: false })
  })

  it('writes the URL from the form: classes as numbers, empty parts left out', () => {
    expect(marksLocation({ mark: ' 云山 ', classes: '30，４３ ', live: true }))
      .toEqual({ path: '/marks', query: { mark: '云山', nc: '30,43', live: '1' } })
    expect(marksLocation({ mark: '', classes: '', live: false })).toEqual({ path: '/marks', query: {} })
  })

  it('asks the API with every class repeated, and a class that is not one as typed', () => {
    expect(marksParams({ mark: '云山', classes: '30 43', live: true }).toString())
      .toBe('mark=%E4%BA%91%E5%B1%B1&nc=30&nc=43&live_only=true')
    expect(marksParams({ mark: 'x', classes: '3a', live: false }).getAll('nc')).toEqual(['3a'])
  })

  it('a round trip through the URL keeps the form', () => {
    const form = { mark: 'STARBUCKS', classes: '43', live: false }
    expect(readMarksQuery(marksLocation(form).query)).toEqual(form)
  })

  it('scores as percentages, highly similar from the threshold on', () => {
    expect(percent(0.8125)).toBe(81)
    expect(likely(0.75, 0.75)).toBe(true)
    expect(likely(0.74, 0.75)).toBe(false)
  })

  it('a watch of the proposed mark fills in the 订阅 form', () => {
    expect(watchLocation({ mark: '云山 ', classes: '30 43' }))
      .toEqual({ path: '/alerts', query: { type: 'trademark_watch', mark: '云山', nc: ['30', '43'] } })
    expect(watchLocation({ mark: '云山', classes: '' }, 'squatting_watch'))
      .toEqual({ path: '/alerts', query: { type: 'squatting_watch', mark: '云山' } })
  })

  it('offers the similar-mark search of a trademark search whose words are a mark', () => {
    expect(marksOfSearch(' 云山 ', ['nc=30', 'dist=黄埔区', 'nc=43']))
      .toEqual({ path: '/marks', query: { mark: '云山', nc: '30,43' } })
    expect(marksOfSearch('tm=PEARL RIVER')).toEqual({ path: '/marks', query: { mark: 'PEARL RIVER' } })
    for (const q of ['', 'tm=云山 AND nc=30', '云山 OR 白云', 'pa="广州"', '云*', 'x'.repeat(51)]) {
      expect(marksOfSearch(q)).toBe(null)
    }
  })

  it('asks the register which classes file goods like these, and adds one to the form', () => {
    expect(goodsQuery(' 茶饮料 ')).toBe('gs=茶饮料')
    expect(goodsQuery('coffee beans')).toBe('gs="coffee beans"')
    expect(goodsQuery('"茶"')).toBe('gs=茶')
    expect(goodsQuery('  ')).toBe('')
    expect(withClass('30', '32')).toBe('30 32')
    expect(withClass('30，32', 30)).toBe('30，32')
    expect(withClass('', 9)).toBe('9')
  })
})
