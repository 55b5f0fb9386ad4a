import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { ApiError, buildUrl, hooks, request, type DataOf, type Typed } from '@/api/client'
import type { Account, StatsReport } from '@/api/types'
import { session } from '@/lib/session'

/** A whole Account (the schema marks every field required) with the fields a test cares about. */
const account = (a: Partial<Account>): Account => ({
  id: 1, username: 'a', name: '', phone: '', role: 'admin', org_id: 1, status: 'active',
  must_change_password: false, wechat_bound: false, created_at: '', updated_at: '', ...a,
})

describe('buildUrl', () => {
  it('fills path parameters and drops empty query values', () => {
    expect(buildUrl('/api/v1/admin/accounts/{id}', { id: 7 }, { q: '', role: 'cadre', overdue: true, x: undefined })).toBe(
      '/api/v1/admin/accounts/7?role=cadre&overdue=1',
    )
    expect(() => buildUrl('/api/v1/admin/accounts/{id}')).toThrow(/missing path parameter id/)
  })
})

describe('request', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    session.clear()
  })

  it('sends the token and unwraps the envelope', async () => {
    session.set('tok-1', new Date(Date.now() + 60_000).toISOString(), account({ id: 1, username: 'a', role: 'admin' }))
    const fetch = vi.fn(async () => new Response(JSON.stringify({ code: 'ok', data: { n: 3 } }), { status: 200 }))
    vi.stubGlobal('fetch', fetch)
    await expect(request<{ n: number }>('get', '/api/v1/x')).resolves.toEqual({ n: 3 })
    const init = (fetch.mock.calls[0] as unknown as [string, RequestInit])[1]
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok-1')
  })

  it('turns an error envelope into an ApiError and reports an ended sign-in', async () => {
    const ended = vi.fn()
    hooks.unauthorized = ended
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ code: 'unauthorized', msg: '登录已失效，请重新登录', request_id: 'r1' }), { status: 401 }))
    const err = await request('get', '/api/v1/x').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ApiError)
    expect(err).toMatchObject({ status: 401, code: 'unauthorized', message: '登录已失效，请重新登录', requestId: 'r1' })
    expect(ended).toHaveBeenCalledOnce()
  })

  it('does not treat a failed sign-in as an ended one', async () => {
    const ended = vi.fn()
    hooks.unauthorized = ended
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ code: 'unauthorized', msg: '用户名或密码错误' }), { status: 401 }))
    await expect(request('post', '/api/v1/auth/staff', { anonymous: true })).rejects.toThrow('用户名或密码错误')
    expect(ended).not.toHaveBeenCalled()
  })

  it('says when the network is down', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch')
    })
    await expect(request('get', '/api/v1/x')).rejects.toMatchObject({ code: 'network' })
  })
})

describe('session', () => {
  it('forgets an expired sign-in', () => {
    session.set('old', new Date(Date.now() - 1000).toISOString(), account({ id: 1 }))
    expect(session.token()).toBe('')
    expect(sessionStorage.getItem('zl.console.signin')).toBeNull()
  })
})

describe('generated types', () => {
  it('uses the spec where it describes the response and the local type otherwise', () => {
    expectTypeOf<DataOf<'/api/v1/admin/stats', 'get'>>().toEqualTypeOf<StatsReport>()
    expectTypeOf<Typed<DataOf<'/api/v1/admin/outbox', 'get'>, { local: true }>>().toEqualTypeOf<DataOf<'/api/v1/admin/outbox', 'get'>>()
    expectTypeOf<Typed<unknown, { local: true }>>().toEqualTypeOf<{ local: true }>()
  })
})
