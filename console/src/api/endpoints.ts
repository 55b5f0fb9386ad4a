// Every API call the console makes, one function each, typed by the OpenAPI
// document where it describes the payload (see Typed in ./client).
import { request, type BodyOf, type DataOf, type QueryOf, type Typed } from './client'
import type * as T from './types'

type Id = number

// ---- sign-in ----------------------------------------------------------------
export const auth = {
  signIn: (body: BodyOf<'/api/v1/auth/staff', 'post'>) =>
    request<Typed<DataOf<'/api/v1/auth/staff', 'post'>, T.SignIn>>('post', '/api/v1/auth/staff', { body, anonymous: true }),
  me: () => request<Typed<DataOf<'/api/v1/auth/me', 'get'>, T.Me>>('get', '/api/v1/auth/me'),
  logout: () => request<unknown>('post', '/api/v1/auth/logout'),
  changePassword: (body: BodyOf<'/api/v1/auth/password', 'post'>) =>
    request<Typed<DataOf<'/api/v1/auth/password', 'post'>, T.Account>>('post', '/api/v1/auth/password', { body }),
}

// ---- accounts ---------------------------------------------------------------
export const accounts = {
  list: (query: QueryOf<'/api/v1/admin/accounts', 'get'>) =>
    request<Typed<DataOf<'/api/v1/admin/accounts', 'get'>, T.Page<T.Account>>>('get', '/api/v1/admin/accounts', { query }),
  get: (id: Id) =>
    request<Typed<DataOf<'/api/v1/admin/accounts/{id}', 'get'>, T.Account>>('get', '/api/v1/admin/accounts/{id}', { path: { id } }),
  create: (body: BodyOf<'/api/v1/admin/accounts', 'post'>) =>
    request<Typed<DataOf<'/api/v1/admin/accounts', 'post'>, T.Account>>('post', '/api/v1/admin/accounts', { body }),
  update: (id: Id, body: BodyOf<'/api/v1/admin/accounts/{id}', 'patch'>) =>
    request<Typed<DataOf<'/api/v1/admin/accounts/{id}', 'patch'>, T.Account>>('patch', '/api/v1/admin/accounts/{id}', { path: { id }, body }),
  disable: (id: Id) =>
    request<Typed<DataOf<'/api/v1/admin/accounts/{id}/disable', 'post'>, T.Account>>('post', '/api/v1/admin/accounts/{id}/disable', { path: { id } }),
  enable: (id: Id) =>
    request<Typed<DataOf<'/api/v1/admin/accounts/{id}/enable', 'post'>, T.Account>>('post', '/api/v1/admin/accounts/{id}/enable', { path: { id } }),
  resetPassword: (id: Id, password: string) =>
    request<Typed<DataOf<'/api/v1/admin/accounts/{id}/reset-password', 'post'>, T.Account>>(
      'post', '/api/v1/admin/accounts/{id}/reset-password', { path: { id }, body: { password } }),
}

// ---- org tree -----------------------------------------------------------------
export const orgs = {
  /** The admin's subtree, nested (tree=1). */
  tree: () => request<Typed<DataOf<'/api/v1/admin/orgs', 'get'>, T.Page<T.Org>>>('get', '/api/v1/admin/orgs', { query: { tree: '1' } }),
  /** The public tree (every active org), for staff who are not admins. */
  publicTree: () => request<Typed<DataOf<'/api/v1/orgs', 'get'>, T.Page<T.Org>>>('get', '/api/v1/orgs', { query: { tree: '1' } }),
  create: (body: BodyOf<'/api/v1/admin/orgs', 'post'>) =>
    request<Typed<DataOf<'/api/v1/admin/orgs', 'post'>, T.Org>>('post', '/api/v1/admin/orgs', { body }),
  rename: (id: Id, name: string) =>
    request<Typed<DataOf<'/api/v1/admin/orgs/{id}', 'patch'>, T.Org>>('patch', '/api/v1/admin/orgs/{id}', { path: { id }, body: { name } }),
  deactivate: (id: Id) =>
    request<Typed<DataOf<'/api/v1/admin/orgs/{id}/deactivate', 'post'>, T.Org>>('post', '/api/v1/admin/orgs/{id}/deactivate', { path: { id } }),
  activate: (id: Id) =>
    request<Typed<DataOf<'/api/v1/admin/orgs/{id}/activate', 'post'>, T.Org>>('post', '/api/v1/admin/orgs/{id}/activate', { path: { id } }),
}

// ---- categories -----------------------------------------------------------------
export const categories = {
  list: () => request<Typed<DataOf<'/api/v1/admin/categories', 'get'>, T.Page<T.Category>>>('get', '/api/v1/admin/categories'),
  /** Active categories, for any signed-in staff member. */
  active: () => request<Typed<DataOf<'/api/v1/categories', 'get'>, T.Page<T.Category>>>('get', '/api/v1/categories'),
  create: (body: BodyOf<'/api/v1/admin/categories', 'post'>) =>
    request<Typed<DataOf<'/api/v1/admin/categories', 'post'>, T.Category>>('post', '/api/v1/admin/categories', { body }),
  update: (id: Id, body: BodyOf<'/api/v1/admin/categories/{id}', 'patch'>) =>
    request<Typed<DataOf<'/api/v1/admin/categories/{id}', 'patch'>, T.Category>>('patch', '/api/v1/admin/categories/{id}', { path: { id }, body }),
}

// ---- Open311 integrators, their keys, categories' service definitions (city admins) ----
export const integrators = {
  list: (query: QueryOf<'/api/v1/admin/integrators', 'get'>) =>
    request<Typed<DataOf<'/api/v1/admin/integrators', 'get'>, T.Page<T.Integrator>>>('get', '/api/v1/admin/integrators', { query }),
  get: (id: Id) =>
    request<Typed<DataOf<'/api/v1/admin/integrators/{id}', 'get'>, T.Integrator>>('get', '/api/v1/admin/integrators/{id}', { path: { id } }),
  create: (body: BodyOf<'/api/v1/admin/integrators', 'post'>) =>
    request<Typed<DataOf<'/api/v1/admin/integrators', 'post'>, T.Integrator>>('post', '/api/v1/admin/integrators', { body }),
  keys: (id: Id) =>
    request<Typed<DataOf<'/api/v1/admin/integrators/{id}/keys', 'get'>, T.Page<T.ApiKey>>>('get', '/api/v1/admin/integrators/{id}/keys', { path: { id } }),
  /** The one answer that carries the key itself. */
  issue: (id: Id, body: BodyOf<'/api/v1/admin/integrators/{id}/keys', 'post'>) =>
    request<Typed<DataOf<'/api/v1/admin/integrators/{id}/keys', 'post'>, T.IssuedKey>>('post', '/api/v1/admin/integrators/{id}/keys', { path: { id }, body }),
  revoke: (id: Id, keyId: Id) =>
    request<Typed<DataOf<'/api/v1/admin/integrators/{id}/keys/{key_id}/revoke', 'post'>, T.ApiKey>>(
      'post', '/api/v1/admin/integrators/{id}/keys/{key_id}/revoke', { path: { id, key_id: keyId } }),
  attributes: (categoryId: Id) =>
    request<Typed<DataOf<'/api/v1/admin/categories/{id}/attributes', 'get'>, T.Page<T.ServiceAttribute>>>(
      'get', '/api/v1/admin/categories/{id}/attributes', { path: { id: categoryId } }),
  putAttributes: (categoryId: Id, body: BodyOf<'/api/v1/admin/categories/{id}/attributes', 'put'>) =>
    request<Typed<DataOf<'/api/v1/admin/categories/{id}/attributes', 'put'>, T.Page<T.ServiceAttribute>>>(
      'put', '/api/v1/admin/categories/{id}/attributes', { path: { id: categoryId }, body }),
}

// ---- liaison points, rules, sessions --------------------------------------------
export const points = {
  list: (query: QueryOf<'/api/v1/admin/points', 'get'>) =>
    request<Typed<DataOf<'/api/v1/admin/points', 'get'>, T.Page<T.Point>>>('get', '/api/v1/admin/points', { query }),
  get: (id: Id) => request<Typed<DataOf<'/api/v1/admin/points/{id}', 'get'>, T.Point>>('get', '/api/v1/admin/points/{id}', { path: { id } }),
  create: (body: BodyOf<'/api/v1/admin/points', 'post'>) =>
    request<Typed<DataOf<'/api/v1/admin/points', 'post'>, T.Point>>('post', '/api/v1/admin/points', { body }),
  update: (id: Id, body: BodyOf<'/api/v1/admin/points/{id}', 'patch'>) =>
    request<Typed<DataOf<'/api/v1/admin/points/{id}', 'patch'>, T.Point>>('patch', '/api/v1/admin/points/{id}', { path: { id }, body }),
  schedule: (id: Id) =>
    request<Typed<DataOf<'/api/v1/admin/points/{id}/schedule', 'get'>, T.Schedule>>('get', '/api/v1/admin/points/{id}/schedule', { path: { id } }),
  putSchedule: (id: Id, body: BodyOf<'/api/v1/admin/points/{id}/schedule', 'put'>) =>
    request<Typed<DataOf<'/api/v1/admin/points/{id}/schedule', 'put'>, T.Schedule>>('put', '/api/v1/admin/points/{id}/schedule', { path: { id }, body }),
  sessions: (id: Id, from: string, to: string) =>
    request<DataOf<'/api/v1/admin/points/{id}/sessions', 'get'>>('get', '/api/v1/admin/points/{id}/sessions', { path: { id }, query: { from, to } }),
  addSession: (id: Id, body: BodyOf<'/api/v1/admin/points/{id}/sessions', 'post'>) =>
    request<Typed<DataOf<'/api/v1/admin/points/{id}/sessions', 'post'>, T.Session>>('post', '/api/v1/admin/points/{id}/sessions', { path: { id }, body }),
  cancelSession: (id: Id, reason: string) =>
    request<Typed<DataOf<'/api/v1/admin/sessions/{id}/cancel', 'post'>, T.Session>>('post', '/api/v1/admin/sessions/{id}/cancel', { path: { id }, body: { reason } }),
  /** The point's mini-program code (JPEG) as a Blob, for the poster download. */
  code: async (id: Id) =>
    (await request<Response>('get', '/api/v1/admin/points/{id}/wxacode', { path: { id }, raw: true })).blob(),
}

// ---- holiday calendar ---------------------------------------------------------------
export const holidays = {
  year: (year: number) =>
    request<Typed<DataOf<'/api/v1/admin/calendar', 'get'>, { year: number; items: T.CalendarDay[] }>>('get', '/api/v1/admin/calendar', { query: { year } }),
  put: (date: string, body: BodyOf<'/api/v1/admin/calendar/{date}', 'put'>) =>
    request<unknown>('put', '/api/v1/admin/calendar/{date}', { path: { date }, body }),
  remove: (date: string) => request<unknown>('delete', '/api/v1/admin/calendar/{date}', { path: { date } }),
}

// ---- audit log and notification queue -------------------------------------------------
export const audit = {
  list: (query: QueryOf<'/api/v1/admin/audit-logs', 'get'>) =>
    request<Typed<DataOf<'/api/v1/admin/audit-logs', 'get'>, T.Page<T.AuditRow>>>('get', '/api/v1/admin/audit-logs', { query }),
}

export const outbox = {
  list: (query: QueryOf<'/api/v1/admin/outbox', 'get'>) =>
    request<Typed<DataOf<'/api/v1/admin/outbox', 'get'>, T.Page<T.OutboxMessage>>>('get', '/api/v1/admin/outbox', { query }),
  retry: (id: Id) =>
    request<Typed<DataOf<'/api/v1/admin/outbox/{id}/retry', 'post'>, T.OutboxMessage>>('post', '/api/v1/admin/outbox/{id}/retry', { path: { id } }),
}

// ---- the desk: inbox, items, invitations, sessions -------------------------------------------
export const work = {
  inbox: (query: QueryOf<'/api/v1/work/requests', 'get'>) =>
    request<Typed<DataOf<'/api/v1/work/requests', 'get'>, T.Page<T.WorkRequest>>>('get', '/api/v1/work/requests', { query }),
  get: (id: Id) =>
    request<Typed<DataOf<'/api/v1/work/requests/{id}', 'get'>, T.WorkRequest>>('get', '/api/v1/work/requests/{id}', { path: { id } }),
  targets: (id: Id) => request<DataOf<'/api/v1/work/requests/{id}/targets', 'get'>>('get', '/api/v1/work/requests/{id}/targets', { path: { id } }),
  /** Any action of the state machine; the body is the action's form. */
  act: (id: Id, action: T.StaffAction, body: Record<string, unknown>) =>
    request<T.WorkRequest>('post', `/api/v1/work/requests/{id}/${action}`, { path: { id }, body }),
  record: (body: BodyOf<'/api/v1/work/requests', 'post'>) =>
    request<Typed<DataOf<'/api/v1/work/requests', 'post'>, T.WorkRequest>>('post', '/api/v1/work/requests', { body }),
  /** Likely duplicates (each with can_merge_into), followers, merged items and the primary. */
  similar: (id: Id) =>
    request<DataOf<'/api/v1/work/requests/{id}/similar', 'get'>>('get', '/api/v1/work/requests/{id}/similar', { path: { id } }),
  /** Merges the item into `into` (open → merged); answers the item as the cadre now sees it. */
  merge: (id: Id, body: BodyOf<'/api/v1/work/requests/{id}/merge', 'post'>) =>
    request<Typed<DataOf<'/api/v1/work/requests/{id}/merge', 'post'>, T.WorkRequest>>('post', '/api/v1/work/requests/{id}/merge', { path: { id }, body }),
  /** Hot topics (本周热点) of an org or a liaison point. */
  topics: (query: QueryOf<'/api/v1/work/topics', 'get'>) =>
    request<DataOf<'/api/v1/work/topics', 'get'>>('get', '/api/v1/work/topics', { query }),
}

export const invitations = {
  list: (query: QueryOf<'/api/v1/work/invitations', 'get'>) =>
    request<Typed<DataOf<'/api/v1/work/invitations', 'get'>, T.Page<T.Invitation>>>('get', '/api/v1/work/invitations', { query }),
  accept: (id: Id) =>
    request<Typed<DataOf<'/api/v1/work/invitations/{id}/accept', 'post'>, T.Invitation>>('post', '/api/v1/work/invitations/{id}/accept', { path: { id }, body: {} }),
  decline: (id: Id, reason: string) =>
    request<Typed<DataOf<'/api/v1/work/invitations/{id}/decline', 'post'>, T.Invitation>>('post', '/api/v1/work/invitations/{id}/decline', { path: { id }, body: { reason } }),
  reply: (id: Id, message: string) =>
    request<Typed<DataOf<'/api/v1/work/invitations/{id}/reply', 'post'>, T.Invitation>>('post', '/api/v1/work/invitations/{id}/reply', { path: { id }, body: { message } }),
}

export const desk = {
  sessions: () => request<Typed<DataOf<'/api/v1/work/sessions', 'get'>, T.Page<T.Session>>>('get', '/api/v1/work/sessions', { query: { page_size: 50 } }),
  roster: (id: Id) => request<Typed<DataOf<'/api/v1/work/sessions/{id}', 'get'>, T.Roster>>('get', '/api/v1/work/sessions/{id}', { path: { id } }),
  checkIn: (id: Id, code: string) =>
    request<Typed<DataOf<'/api/v1/work/sessions/{id}/checkin', 'post'>, T.RosterEntry>>('post', '/api/v1/work/sessions/{id}/checkin', { path: { id }, body: { code } }),
  walkIn: (id: Id, body: BodyOf<'/api/v1/work/sessions/{id}/walk-ins', 'post'>) =>
    request<Typed<DataOf<'/api/v1/work/sessions/{id}/walk-ins', 'post'>, T.WorkRequest>>('post', '/api/v1/work/sessions/{id}/walk-ins', { path: { id }, body }),
  close: (id: Id, summary: string) =>
    request<Typed<DataOf<'/api/v1/work/sessions/{id}/close', 'post'>, T.ClosedSession>>('post', '/api/v1/work/sessions/{id}/close', { path: { id }, body: { summary } }),
}

// ---- statistics ---------------------------------------------------------------------------------
export type StatsQuery = QueryOf<'/api/v1/admin/stats', 'get'>

export const stats = {
  /** Admins read /admin/stats, other staff /work/stats (the same report). */
  get: (admin: boolean, query: StatsQuery) =>
    admin
      ? request<DataOf<'/api/v1/admin/stats', 'get'>>('get', '/api/v1/admin/stats', { query })
      : request<DataOf<'/api/v1/work/stats', 'get'>>('get', '/api/v1/work/stats', { query }),
  /** The export as a Response (its Content-Disposition names the file). */
  export: (query: QueryOf<'/api/v1/admin/stats/export', 'get'>) =>
    request<Response>('get', '/api/v1/admin/stats/export', { query, raw: true }),
}
