import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createMemoryHistory, createRouter } from 'vue-router'
import RecordPage from './RecordPage.vue'

const patent = {
  record_type: 'patent', id: 'CN114999999B', source: 'cnipa', batch_id: 'b-1', industries: ['新能源与节能环保'],
  applicants: [{ name: '广州某某有限公司', normalized_name: '广州某某', key: '广州某某', type: 'enterprise', state_owned: true, district: '黄埔区', city: '广州市', province: '广东省', country: 'CN' }],
  agency: { name: '广州代理所', agents: ['王五'] }, jurisdiction: 'CN', kind: 'invention_grant', kind_code: 'B',
  application_number: 'CN202110999999.1', application_date: '2021-01-02', publication_number: 'CN114999999B',
  publication_date: '2022-03-04', grant_date: '2022-03-04', title: { text: '一种储能装置', lang: 'zh' },
  titles: [{ text: 'An energy storage device', lang: 'en' }], abstract: { text: '摘要文字', lang: 'zh' },
  abstracts: [{ text: 'An abstract in English', lang: 'en' }],
  claims: ['1. 一种储能装置。'], inventors: [{ name: '张三' }], ipc_main: 'H01M 10/0525', ipc: ['H01M 10/0525', 'H02J 7/00'],
  cpc: ['Y02E 60/10'], locarno: ['13-02'], priorities: [{ country: 'CN', number: 'CN202010888888', date: '2020-05-06' }],
  pct_application_number: 'PCT/CN2021/000001', pct_publication_number: 'WO2021000001', legal_status: 'valid',
  legal_events: [
    { date: '2022-03-04', code: 'GR01', description: '授权' },
    { date: '2023-03-31', code: 'PG25', description: 'LAPSED IN A CONTRACTING STATE', country: 'LU', effective_date: '2022-06-24', detail: 'LAPSE BECAUSE OF NON-PAYMENT OF DUE FEES' },
  ], cited_documents: ['CN110000000A'],
  family_id: 'FAM-42', keywords: ['储能'], some_future_field: '新字段值',
}

const H01M_10_0525 = [
  { level: 'section', code: 'H', title: 'Electricity', title_zh: '电学' },
  { level: 'class', code: 'H01', title: 'Basic electric elements', title_zh: null },
  { level: 'subclass', code: 'H01M', title: 'Processes or means, e.g. batteries', title_zh: null },
  { level: 'group', code: 'H01M 10/00', title: 'Secondary cells; Manufacture thereof', title_zh: null },
  { level: 'subgroup', code: 'H01M 10/0525', title: 'Rocking-chair batteries', title_zh: null },
]
const similarHits = [
  { id: 'CN114888888A', score: 3.2, highlights: {}, record: { record_type: 'patent', id: 'CN114888888A', title: { text: '一种储能电池', lang: 'zh' }, publication_date: '2022-05-06', applicants: [{ name: '广州另一有限公司' }] } },
  { id: 'CN-TM-1', score: 1, highlights: {}, record: { record_type: 'trademark', id: 'CN-TM-1', mark_text: null, application_date: '2020-01-01', applicants: [] } },
]
vi.mock('../api.js', () => ({
  api: {
    record: vi.fn(async () => ({ record: patent })),
    similar: vi.fn(async () => ({ id: patent.id, hits: similarHits })),
    ipc: vi.fn(async (codes) => ({
      codes: codes.map((code) => ({ code, levels: code === 'H01M 10/0525' ? H01M_10_0525 : [] })),
    })),
  },
}))

describe('RecordPage', () => {
  it('shows every field of a patent, with search links', async () => {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div/>' } }] })
    const page = mount(RecordPage, { props: { id: patent.id }, global: { plugins: [router] } })
    await flushPromises()
    const text = page.text()
    for (const value of [
      '一种储能装置', 'An energy storage device', '摘要文字', 'An abstract in English', '张三', 'CN202110999999.1',
      '2021-01-02', '2022-03-04', '发明授权', '有效', 'Y02E 60/10', '13-02', 'CN202010888888', 'PCT/CN2021/000001',
      'WO2021000001', 'GR01', 'CN110000000A', 'FAM-42', '储能', '新能源与节能环保', '广州代理所', '王五', 'cnipa',
      'b-1', '广州某某有限公司', '广州某某', '企业', '国有', '黄埔区', '新字段值', '电学',
    ]) expect(text).toContain(value)
    expect(page.find('ol.claims li').text()).toBe('一种储能装置。') // numbered by the list, once
    expect(page.find('p.other-lang[lang="en"]').text()).toBe('An abstract in English')
    expect(text).not.toContain('abstracts') // not repeated as a raw field
    expect(text).toContain('广州代理所（王五）')
    const links = page.findAll('a').map((a) => decodeURIComponent(a.attributes('href').replaceAll('+', ' ')))
    expect(links).toContain('/patents?q=pak=广州某某')
    expect(links).toContain('/patents?q=fam=FAM-42')
    expect(links).toContain('/patents?q=ipc="H01M 10/0525"')
    expect(links).toContain('/patents?q=pn=CN110000000A')
    expect(links).toContain('/patents?q=dist=黄埔区')
  })

  it('lists the records most like it, each a link to its page', async () => {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div/>' } }] })
    const page = mount(RecordPage, { props: { id: patent.id }, global: { plugins: [router] } })
    await flushPromises()
    const items = page.findAll('[data-test="similar"] li')
    expect(items.map((li) => li.attributes('data-id'))).toEqual(['CN114888888A', 'CN-TM-1'])
    expect(items[0].text()).toContain('一种储能电池')
    expect(items[0].text()).toContain('2022-05-06')
    expect(items[0].text()).toContain('广州另一有限公司')
    expect(items[0].find('a').attributes('href')).toBe('/records/CN114888888A')
    expect(items[1].text()).toContain('（图形商标）')
  })

  it('shows the state a legal event concerns, when it took effect and why', async () => {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div/>' } }] })
    const page = mount(RecordPage, { props: { id: patent.id }, global: { plugins: [router] } })
    await flushPromises()
    const [grant, lapse] = page.findAll('[data-test="legal-event"]')
    expect(grant.find('[data-field="country"]').exists()).toBe(false)
    expect(lapse.find('[data-field="country"]').text()).toBe('LU')
    expect(lapse.find('[data-field="detail"]').text()).toContain('NON-PAYMENT OF DUE FEES')
    expect(lapse.text()).toContain('生效日 2022-06-24')
  })

  it('shows each IPC code with its titles, and the section alone where no title came', async () => {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/:p(.*)*', component: { template: '<div/>' } }] })
    const page = mount(RecordPage, { props: { id: patent.id }, global: { plugins: [router] } })
    await flushPromises()
    const lithium = page.find('[data-field="ipc"] li[data-code="H01M 10/0525"]')
    expect(lithium.find('[data-test="ipc-title"]').text()).toBe('Secondary cells; Manufacture thereof — Rocking-chair batteries')
    expect(lithium.find('[data-test="ipc-path"]').text()).toBe('H 电学 › H01 Basic electric elements › H01M Processes or means, e.g. batteries')
    const other = page.find('[data-field="ipc"] li[data-code="H02J 7/00"]')
    expect(other.find('[data-test="ipc-title"]').exists()).toBe(false)
    expect(other.text()).toContain('电学')
    expect(page.find('[data-test="ipc-source"]').text()).toContain('WIPO')
  })
})
