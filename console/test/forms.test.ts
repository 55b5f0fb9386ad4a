import { describe, expect, it } from 'vitest'
import { actionForms, buildBody } from '@/lib/forms'
import { addDays, dateTime, fileNameOf, monthRange, pct } from '@/lib/format'

describe('action forms', () => {
  it('asks for the required fields and drops empty optional ones', () => {
    expect(buildBody('reject', { reason: '  ', duplicate_of: undefined })).toEqual({ error: '请填写「理由」' })
    expect(buildBody('reject', { reason: ' 重复反映 ', duplicate_of: null })).toEqual({ body: { reason: '重复反映' } })
    expect(buildBody('progress', { note: '已联系', public: false })).toEqual({ body: { note: '已联系', public: false } })
    expect(buildBody('accept', {})).toEqual({ body: {} })
  })
  it('has a form for every action of the state machine', () => {
    expect(Object.keys(actionForms).sort()).toEqual(['accept', 'assign', 'invite', 'park', 'progress', 'reject', 'resolve', 'respond', 'resume', 'transfer'])
  })
})

describe('format', () => {
  it('shows times in Asia/Shanghai whatever the offset sent', () => {
    expect(dateTime('2026-11-24T01:30:00Z')).toBe('2026-11-24 09:30')
    expect(dateTime('2026-11-24T23:59:00+08:00')).toBe('2026-11-24 23:59')
    expect(dateTime(null)).toBe('')
  })
  it('does date arithmetic on business dates', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(monthRange('2026-12-15')).toEqual(['2026-12-01', '2027-01-01'])
  })
  it('formats rates and file names', () => {
    expect(pct(0.9654)).toBe('96.5%')
    expect(pct(undefined)).toBe('—')
    expect(fileNameOf('attachment; filename="zhilian-stats-1-2026-01-01-2027-01-01.xlsx"', 'x')).toBe('zhilian-stats-1-2026-01-01-2027-01-01.xlsx')
    expect(fileNameOf(null, 'fallback.csv')).toBe('fallback.csv')
  })
})
