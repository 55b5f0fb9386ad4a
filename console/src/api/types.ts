// Types of the API's payloads. Where the OpenAPI document describes a
// payload, the type here IS the generated one (components["schemas"]).
// Where it does not yet (`data: {}`), a thin LOCAL type follows, marked
// `LOCAL:` — written from the Go DTOs in api/*.go. When the spec describes
// the response, ./endpoints picks the generated type by itself (Typed); the
// LOCAL type can then be deleted.
import type { components } from './schema'

type S = components['schemas']

/** A list page (DESIGN §4.1). */
export interface Page<T> {
  items: T[]
  next_cursor: string
}

// ---- generated component schemas -------------------------------------------

/** A staff account (generated schema; `org_kind` is LOCAL until the spec names it). */
export type Account = S['Account'] & { org_kind?: string }
/** An org node; `children` with tree=1 (generated schema). */
export type Org = S['Org']
/** Statistics report (generated schema: the stats responses are typed). */
export type StatsReport = S['StatsReport']
export type StatsCounts = S['StatsCounts']
export type StatsTable = S['StatsTable']
/** A session in the admin's calendar (generated: its endpoint is typed). */
export type CalendarSession = S['CalendarSession']
export type TargetOrg = S['TargetOrg']

// ---- LOCAL types (the spec does not describe these responses yet) ----------

/** A staff sign-in (generated schema). */
export type SignIn = S['StaffSignIn']

/** The caller (GET /auth/me) (generated schema). */
export type Me = S['Me']

/** A category with its time limits (generated schema). */
export type Category = S['Category']

/** LOCAL: api/points.go pointDTO. */
export interface Point {
  id: number
  org_id: number
  org_name: string
  name: string
  address: string
  lat: number | null
  lng: number | null
  notes: string
  active: boolean
  hosts: { account_id?: number; name: string }[]
  created_at: string
  updated_at: string
}

export interface Window {
  start: string
  end: string
}

/** LOCAL: api/sessions.go toSchedule (plus sessions_generated, upcoming_dates after PUT). */
export interface Schedule {
  point_id: number
  weekday: number
  windows: Window[]
  slot_minutes: number
  slot_capacity: number
  open_days_ahead: number
  cutoff_hours: number
  updated_at: string
  sessions_generated?: number
  upcoming_dates?: string[]
}

/** LOCAL: api/sessions.go slotDTO. */
export interface Slot {
  id: number
  start_at: string
  end_at: string
  closes_at: string
  capacity: number
  booked: number
  remaining: number
  bookable: boolean
}

/** LOCAL: api/sessions.go sessionDTO. */
export interface Session {
  id: number
  point_id: number
  point_name?: string
  point_address?: string
  date: string
  kind: 'regular' | 'extra'
  status: 'open' | 'closed' | 'cancelled'
  starts_at: string
  ends_at: string
  reason?: string
  cancel_reason?: string
  slots?: Slot[]
}

/** LOCAL: api/work_sessions.go rosterEntryDTO. */
export interface RosterEntry {
  id: number
  slot_id: number
  start_at: string
  resident_id: number
  resident_name: string
  topic: string
  request_id: number | null
  status: 'booked' | 'checked_in' | 'cancelled' | 'no_show'
  checked_in: boolean
  checked_in_at?: string
}

/** LOCAL: api/work_sessions.go ledgerDTO. */
export interface Ledger {
  attendees: number | null
  no_shows: number | null
  collected: number | null
  solved_on_spot: number | null
  summary: string | null
  closed_at: string | null
}

/** LOCAL: api/work_sessions.go workSession. */
export interface Roster {
  session: Session
  bookings: RosterEntry[]
  checked_in: number
  ledger: Ledger
}

/** LOCAL: the close answer (api/openapi/40-sessions.yaml description). */
export interface ClosedSession extends Ledger {
  id: number
  status: string
  date: string
}

export type RequestStatus = 'submitted' | 'accepted' | 'long_term' | 'resolved' | 'responded' | 'rejected' | 'withdrawn' | 'merged'
export type RequestSource = 'miniprogram' | 'session' | 'walk_in' | 'staff' | 'open311'
export type StaffAction =
  | 'accept'
  | 'reject'
  | 'progress'
  | 'invite'
  | 'resolve'
  | 'respond'
  | 'park'
  | 'resume'
  | 'transfer'
  | 'assign'

/** LOCAL: api/work.go workEventDTO. */
export interface WorkEvent {
  id: number
  action: string
  from_status: string
  to_status: string
  note: string
  visibility: 'public' | 'internal'
  actor_kind: string
  actor_id: number | null
  actor_name: string
  detail: string
  at: string
}

/** LOCAL: api/work.go invitationDTO. The spec's Invitation schema exists but marks no field required. */
export interface Invitation {
  id: number
  request_id: number
  request_number?: string
  department_id: number
  department_name?: string
  inviter_id: number
  inviter_org_id: number
  status: 'pending' | 'accepted' | 'declined' | 'replied' | 'withdrawn'
  status_label: string
  message: string
  reply: string | null
  decline_reason: string | null
  session_id: number | null
  due_date: string
  overdue: boolean
  answered_at: string | null
  created_at: string
  /** What the invited department may answer now (the server decides). */
  answers: ('accept' | 'decline' | 'reply')[]
}

/** A request as cadres see it (generated schema: the work answers are typed). */
export type WorkRequest = S['WorkRequest']

/** An audit row (generated schema). */
export type AuditRow = S['AuditLog']

/** A queued notification (generated schema). */
export type OutboxMessage = S['OutboxMessage']

/** LOCAL: model.CalendarDay. */
export interface CalendarDay {
  date: string
  workday: boolean
  name?: string
  source: 'weekly' | 'statutory' | 'override'
}

/** An item's likely duplicates, followers and merges (generated: ItemLinks). */
export type ItemLinks = NonNullable<S['ItemLinks']['data']>
export type ItemLink = S['ItemLink']
/** Hot topics of an area or point (generated: TopicReport). */
export type TopicReport = NonNullable<S['TopicReport']['data']>
export type Topic = NonNullable<TopicReport['topics']>[number]

/** An Open311 integrator (keys only from GET /{id}) (generated schema). */
export type Integrator = S['Integrator']

/** An API key: never the key itself, only its prefix (generated schema). */
export type ApiKey = S['APIKey']

/** A freshly issued key: the one answer that carries the key (generated schema). */
export type IssuedKey = S['IssuedAPIKey']

export type AttrDatatype = 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist' | 'multivaluelist'

/** LOCAL: api/integrators.go attributeDTO: one field of a category's Open311 service definition. */
export interface ServiceAttribute {
  code: string
  datatype: AttrDatatype
  variable: boolean
  required: boolean
  order?: number
  description: string
  datatype_description: string
  values: { key: string; name: string }[]
}
