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

/** A liaison point (generated schema). */
export type Point = S['Point']
/** A time window "HH:MM"–"HH:MM" (generated schema). */
export type Window = S['TimeWindow']
/** A point's weekly rule (generated schema); PUT answers ScheduleSet. */
export type Schedule = S['Schedule']
export type ScheduleSet = S['ScheduleSetResponse']['data']
/** A slot with the seats left (generated schema). */
export type Slot = S['Slot']
/** A liaison session (generated schema); SessionWithSlots where the answer carries its slots. */
export type Session = S['Session']
export type SessionWithSlots = S['SessionWithSlots']
/** A booking on a cadre's roster (generated schema). */
export type RosterEntry = S['RosterEntry']
/** The session's closing figures, null until closed (generated schema). */
export type Ledger = S['SessionLedger']
/** A session's roster (generated: GET /work/sessions/{id}). */
export type Roster = S['SessionRosterResponse']['data']
/** The close answer (generated: POST /work/sessions/{id}/close). */
export type ClosedSession = S['SessionClosedResponse']['data']

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

/** An invitation (约请) (generated schema). */
export type Invitation = S['Invitation']

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
