// The console's one HTTP client: the envelope, errors, the sign-in token and
// the OpenAPI-generated types. Pages never call fetch themselves; they call
// the functions of ./endpoints, which call `request` here.
import type { paths } from './schema'
import { session } from '@/lib/session'

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'

type Op<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>

type JsonOf<R> = R extends { content: { 'application/json': infer C } } ? C : never
type OkBody<O> = O extends { responses: infer R }
  ? R extends { 200: infer A }
    ? JsonOf<A>
    : R extends { 201: infer B }
      ? JsonOf<B>
      : never
  : never

/** The `data` of the operation's success envelope, as the spec types it. */
export type DataOf<P extends keyof paths, M extends Method> =
  OkBody<Op<P, M>> extends { data?: infer D } ? NonNullable<D> | (unknown extends D ? unknown : never) : unknown

/** The JSON request body of the operation, as the spec types it. */
export type BodyOf<P extends keyof paths, M extends Method> =
  Op<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never

/** The query parameters of the operation, as the spec types them. */
export type QueryOf<P extends keyof paths, M extends Method> =
  Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never

/**
 * Typed picks the generated type when the spec describes the response, and
 * the console's local type (src/api/types.ts) while the spec says only
 * `data: {}` (unknown). When the spec is made precise, the generated type
 * takes over by itself and the compiler shows every page that disagrees.
 */
export type Typed<Generated, Local> = unknown extends Generated ? Local : Generated

/** An error answered by the API: HTTP status, machine code, readable message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId = '',
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** Hooks the app installs: what to do when the sign-in ended or must change its password. */
export const hooks = {
  unauthorized: (): void => {},
  passwordChangeRequired: (): void => {},
}

type Query = Record<string, string | number | boolean | undefined | null>

export interface RequestOptions {
  path?: Record<string, string | number>
  query?: Query
  body?: unknown
  /** Answer the raw Response (downloads) instead of the envelope's data. */
  raw?: boolean
  /** Do not treat 401 as an ended sign-in (the sign-in call itself). */
  anonymous?: boolean
}

/** Fills {name} placeholders and the query string. */
export function buildUrl(template: string, path?: RequestOptions['path'], query?: Query): string {
  const url = template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = path?.[k]
    if (v === undefined) throw new Error(`missing path parameter ${k} of ${template}`)
    return encodeURIComponent(String(v))
  })
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue
    qs.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v))
  }
  const s = qs.toString()
  return s ? `${url}?${s}` : url
}

async function errorOf(res: Response): Promise<ApiError> {
  let code = 'http_' + res.status
  let msg = `请求失败（HTTP ${res.status}）`
  let rid = res.headers.get('X-Request-Id') ?? ''
  try {
    const j = (await res.json()) as { code?: string; msg?: string; request_id?: string }
    if (j.code) code = j.code
    if (j.msg) msg = j.msg
    if (j.request_id) rid = j.request_id
  } catch {
    /* not JSON: keep the generic message */
  }
  if (res.status === 429) {
    const after = res.headers.get('Retry-After')
    if (after) msg += `（请 ${after} 秒后再试）`
  }
  return new ApiError(res.status, code, msg, rid)
}

/** Calls the API with the signed-in token; resolves to the envelope's data. */
export async function request<T>(method: Method, template: string, opt: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  const token = session.token()
  if (token) headers.Authorization = `Bearer ${token}`
  let body: BodyInit | undefined
  if (opt.body !== undefined) {
    if (opt.body instanceof FormData) body = opt.body
    else {
      headers['Content-Type'] = 'application/json'
      body = JSON.stringify(opt.body)
    }
  }
  let res: Response
  try {
    res = await fetch(buildUrl(template, opt.path, opt.query), { method: method.toUpperCase(), headers, body })
  } catch {
    throw new ApiError(0, 'network', '网络连接失败，请检查网络后重试')
  }
  if (!res.ok) {
    const err = await errorOf(res)
    if (err.status === 401 && !opt.anonymous) hooks.unauthorized()
    if (err.status === 403 && err.code === 'password_change_required') hooks.passwordChangeRequired()
    throw err
  }
  if (opt.raw) return res as unknown as T
  const env = (await res.json()) as { data: T }
  return env.data
}
