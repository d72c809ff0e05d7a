import { describe, expect, it } from 'vitest'
import { errorText, locale, problemText } from './i18n.js'

describe('what the API says, on the page', () => {
  it('takes a problem\'s message in the page\'s language, else its detail or title', () => {
    const problem = { message_zh: '尼斯分类应为 1–45：99', message_en: 'a Nice class is 1-45, not 99', detail: 'd', title: 'x' }
    expect(problemText(problem)).toBe('尼斯分类应为 1–45：99')
    locale.value = 'en'
    expect(problemText(problem)).toBe('a Nice class is 1-45, not 99')
    locale.value = 'zh'
    expect(problemText({ detail: 'body.text: too long', title: 'x' })).toBe('body.text: too long')
    expect(problemText({ title: '参数无效 / Invalid parameter' })).toBe('参数无效 / Invalid parameter')
    expect(problemText()).toBe('')
  })

  it('says a failed call plainly, and the API\'s own words for a bad request', () => {
    expect(errorText({ status: 0 })).not.toBe('')
    expect(errorText({ status: 503, problem: { detail: 'down' } })).not.toContain('down')
    expect(errorText({ status: 500 })).toContain('500')
    expect(errorText({ status: 400, problem: { message_zh: '没有可检索的词语' } })).toBe('没有可检索的词语')
    expect(errorText({ status: 404, problem: {} })).toContain('404')
  })
})
