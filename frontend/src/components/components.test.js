import { afterEach, describe, expect, it, vi } from 'vitest'
import { enableAutoUnmount, flushPromises, mount, RouterLinkStub } from '@vue/test-utils'
import { nextTick } from 'vue'
import SearchBox from './SearchBox.vue'
import FacetPanel from './FacetPanel.vue'
import FilterChips from './FilterChips.vue'
import ResultItem from './ResultItem.vue'
import PagerNav from './PagerNav.vue'
import LangSwitch from './LangSwitch.vue'
import ErrorNotice from './ErrorNotice.vue'
import NumberTable from './NumberTable.vue'
import { locale, setLocale } from '../i18n.js'
import { api } from '../api.js'

vi.mock('../api.js', () => ({
  api: {
    collections: vi.fn(async () => ({
      collections: [
        { id: 'nev', name_zh: '智能与新能源汽车', name_en: 'Intelligent and new-energy vehicles' },
        { id: 'robotics', name_zh: '智能装备与机器人', name_en: 'Intelligent equipment and robots' },
      ],
    })),
    ipc: vi.fn(async (codes) => ({
      codes: codes.map((code) => ({
        code,
        levels: code === 'H01M' ? [{ level: 'subclass', code: 'H01M', title: 'Processes or means, e.g. batteries' }] : [],
      })),
    })),
  },
}))

const stubs = { RouterLink: RouterLinkStub }
enableAutoUnmount(afterEach)
afterEach(() => setLocale('zh'))

describe('SearchBox', () => {
  it('submits the trimmed text', async () => {
    const box = mount(SearchBox, { props: { query: '' } })
    await box.find('input').setValue('  锂电池 ')
    await box.find('form').trigger('submit')
    expect(box.emitted('submit')).toEqual([['锂电池']])
  })

  it('marks the character at the error position', () => {
    const box = mount(SearchBox, { props: { query: 'ti=(电池', error: { position: 3, message: '左括号没有闭合' } } })
    expect(box.find('[role="alert"]').text()).toContain('第 4 个字符处')
    expect(box.find('mark').text()).toBe('(')
    expect(box.find('input').attributes('aria-invalid')).toBe('true')
  })
})

describe('FacetPanel', () => {
  const facets = {
    status: [{ key: 'valid', count: 5, query: 'status=valid' }],
    district: [{ key: '天河区', count: 4, query: 'dist=天河区' }, { key: '番禺区', count: 1, query: 'dist=番禺区' }],
    year: [],
  }

  it('shows counts and labels, checks the selected buckets, emits toggles', async () => {
    const panel = mount(FacetPanel, { props: { facets, selected: ['dist=番禺区'] } })
    const groups = panel.findAll('fieldset')
    expect(groups.map((g) => g.find('legend').text())).toEqual(['区', '状态'])
    expect(panel.text()).toContain('有效')
    const boxes = panel.findAll('input[type="checkbox"]')
    expect(boxes.map((b) => b.element.checked)).toEqual([false, true, false])
    await boxes[0].setValue(true)
    expect(panel.emitted('toggle')).toEqual([['dist=天河区', true]])
    expect(api.ipc).not.toHaveBeenCalled() // no IPC facet, no look-up
  })

  it('gives IPC subclass buckets their title as a tooltip', async () => {
    const ipcFacets = {
      ipc_subclass: [{ key: 'H01M', count: 3, query: 'ipc=H01M' }, { key: 'X99Z', count: 1, query: 'ipc=X99Z' }],
    }
    const panel = mount(FacetPanel, { props: { facets: ipcFacets, selected: [] } })
    await flushPromises()
    expect(api.ipc).toHaveBeenCalledWith(['H01M', 'X99Z'])
    const labels = panel.findAll('label.bucket')
    expect(labels[0].attributes('title')).toBe('Processes or means, e.g. batteries')
    expect(labels[1].attributes('title')).toBeUndefined()
  })
})

describe('FilterChips', () => {
  it('names each filter and removes it', async () => {
    const chips = mount(FilterChips, { props: { filters: ['dist=天河区', 'kind="invention_grant"'] } })
    const buttons = chips.findAll('.chip')
    expect(buttons.map((b) => b.text())).toEqual(['区：天河区 ×', '专利类型：发明授权 ×'])
    await buttons[1].trigger('click')
    expect(chips.emitted('remove')).toEqual([['kind="invention_grant"']])
  })

  it('names a key-industry collection once the collections are loaded, in the page language', async () => {
    const chips = mount(FilterChips, { props: { filters: ['coll=nev', 'dist=天河区'] } })
    await flushPromises()
    expect(chips.findAll('.chip').map((b) => b.text())).toEqual(['专题数据库：智能与新能源汽车 ×', '区：天河区 ×'])
    setLocale('en')
    await nextTick()
    expect(chips.find('.chip').text()).toBe('key-industry collection: Intelligent and new-energy vehicles ×')
    expect(api.collections).toHaveBeenCalledTimes(1)
  })

  it('writes the colon of the page language', () => {
    setLocale('en')
    const chips = mount(FilterChips, { props: { kind: 'trademark', filters: ['pd=2020'] } })
    expect(chips.find('.chip').text()).toBe('preliminary publication date: 2020 ×')
  })
})

describe('ResultItem', () => {
  const record = {
    record_type: 'patent', id: 'CN1A', publication_number: 'CN1A', publication_date: '2021-06-15',
    application_date: '2021-03-02', kind: 'invention_grant', legal_status: 'valid', ipc_main: 'H01M 4/505',
    applicants: [{ name: '华南理工大学', district: '天河区' }],
  }

  it('renders the escaped highlight as HTML and the key data', () => {
    const hit = { id: 'CN1A', highlights: { title: '一种<em>锂电池</em>&lt;b&gt;', abstract: '摘要' }, record }
    const item = mount(ResultItem, { props: { hit }, global: { stubs } })
    expect(item.find('h3 em').text()).toBe('锂电池')
    expect(item.find('h3 b').exists()).toBe(false)
    expect(item.find('h3').text()).toContain('<b>')
    expect(item.text()).toContain('发明授权')
    expect(item.text()).toContain('华南理工大学')
    expect(item.findComponent(RouterLinkStub).props('to')).toBe('/records/CN1A')
  })
})

describe('PagerNav', () => {
  it('links nearby pages and stops at the result window', () => {
    const pager = mount(PagerNav, { props: { page: 5, total: 1_000_000, size: 20, to: (p) => `/p/${p}` }, global: { stubs } })
    const targets = pager.findAllComponents(RouterLinkStub).map((l) => l.props('to'))
    expect(targets).toEqual(['/p/4', '/p/1', '/p/3', '/p/4', '/p/5', '/p/6', '/p/7', '/p/500', '/p/6'])
  })
})

describe('LangSwitch', () => {
  it('switches to English and back', async () => {
    const button = mount(LangSwitch)
    expect(button.text()).toBe('English')
    await button.trigger('click')
    expect(locale.value).toBe('en')
    await nextTick()
    expect(button.text()).toBe('中文')
    expect(document.documentElement.lang).toBe('en')
  })
})

describe('ErrorNotice', () => {
  it.each([
    [0, {}, '无法连接服务器'],
    [429, {}, '请求过于频繁'],
    [503, {}, '暂不可用'],
    [500, {}, '服务器出错（500）'],
    [400, { detail: 'page × size = 20000 …' }, 'page × size = 20000'],
  ])('says what happened for status %i, with a retry', async (status, problem, said) => {
    const notice = mount(ErrorNotice, { props: { error: { status, problem } } })
    expect(notice.text()).toContain(said)
    await notice.find('button').trigger('click')
    expect(notice.emitted('retry')).toHaveLength(1)
  })
})

describe('NumberTable', () => {
  const table = { head: ['申请人', '申请年', '数量'], body: [['甲公司', '2021', 12345], ['乙大学', '2020', 7]] }

  it('writes numbers as the page language does, aligned right, the attributes on the table', () => {
    const shown = mount(NumberTable, { props: { table }, attrs: { 'data-test': 'holdings-table' } })
    expect(shown.find('.table-wrap > table.numbers').attributes('data-test')).toBe('holdings-table')
    expect(shown.findAll('th').map((th) => th.text())).toEqual(['申请人', '申请年', '数量'])
    const cells = shown.findAll('tbody tr')[0].findAll('td')
    expect(cells.map((td) => td.text())).toEqual(['甲公司', '2021', '12,345'])
    expect(cells.map((td) => td.classes('num'))).toEqual([false, false, true]) // a year key is text
  })

  it('lets a cell be shown otherwise, by its line and column', () => {
    const shown = mount(NumberTable, {
      props: { table },
      slots: { cell: `<template #cell="{ value, row, column }"><a v-if="column === 0" :data-row="row">{{ value }}</a><template v-else>{{ value }}</template></template>` },
    })
    expect(shown.findAll('a').map((a) => [a.text(), a.attributes('data-row')])).toEqual([['甲公司', '0'], ['乙大学', '1']])
    expect(shown.findAll('tbody tr')[1].findAll('td').map((td) => td.text())).toEqual(['乙大学', '2020', '7'])
  })
})
