// Labels and formatting shared by pages and components.
const REQUEST_STATUS = {
  submitted: { text: '待受理', tone: 'wait' },
  accepted: { text: '办理中', tone: 'doing' },
  long_term: { text: '长期跟进', tone: 'doing' },
  resolved: { text: '已解决', tone: 'done' },
  responded: { text: '已答复', tone: 'done' },
  rejected: { text: '不予受理', tone: 'stop' },
  withdrawn: { text: '已撤回', tone: 'stop' },
  merged: { text: '已合并', tone: 'doing' },
}

const BOOKING_STATUS = {
  booked: { text: '已预约', tone: 'doing' },
  checked_in: { text: '已签到', tone: 'done' },
  cancelled: { text: '已取消', tone: 'stop' },
  no_show: { text: '未到场', tone: 'stop' },
}

const INVITATION_STATUS = {
  pending: { text: '待处理', tone: 'wait' },
  accepted: { text: '已接受', tone: 'doing' },
  declined: { text: '已退回', tone: 'stop' },
  replied: { text: '已回复', tone: 'done' },
}

// A session is open from the day it is generated until it is closed or cancelled.
const SESSION_STATUS = {
  open: { text: '开放', tone: 'doing' },
  closed: { text: '已结束', tone: 'done' },
  cancelled: { text: '已取消', tone: 'stop' },
}

const ACTION_LABELS = {
  submit: '提交诉求',
  accept: '受理',
  reject: '不予受理',
  transfer: '转办',
  assign: '指派',
  progress: '办理进展',
  invite: '约请部门',
  resolve: '办结（已解决）',
  respond: '办结（已答复）',
  park: '转长期跟进',
  resume: '恢复办理',
  withdraw: '撤回',
  rate: '评价',
  redo: '申请重办',
  invite_accept: '部门接受约请',
  invite_decline: '部门退回约请',
  invite_reply: '部门答复约请',
  invite_withdraw: '约请自动撤回',
  flag: '标记复核',
  anonymise: '信息脱敏',
  merge: '合并办理',
  merge_in: '合并了重复诉求',
  outcome: '随合并诉求办结',
}

// Where an item came from (the server's source).
const SOURCES = { miniprogram: '小程序', session: '驻点接访', walk_in: '来访登记', staff: '工作人员代录', open311: '外部接口' }

const RESIDENCY = { hukou: '户籍', non_hukou: '非户籍常住' }

/** @param {'request'|'booking'|'invitation'|'session'} kind @param {string} status */
function statusLabel(kind, status) {
  const table = { request: REQUEST_STATUS, booking: BOOKING_STATUS, invitation: INVITATION_STATUS, session: SESSION_STATUS }[kind]
  return (table && table[status]) || { text: status || '未知', tone: 'wait' }
}

function pad(n) {
  return n < 10 ? `0${n}` : `${n}`
}

/**
 * An RFC 3339 time shown in Beijing time, e.g. "11-27 09:30" (or with the
 * year when it is not this year). Empty input gives ''.
 * @param {string} iso
 */
function time(iso) {
  if (!iso) return ''
  const d = new Date(iso)
  if (isNaN(d.getTime())) return iso
  const bj = new Date(d.getTime() + 8 * 3600 * 1000)
  const nowYear = new Date(Date.now() + 8 * 3600 * 1000).getUTCFullYear()
  const md = `${pad(bj.getUTCMonth() + 1)}-${pad(bj.getUTCDate())} ${pad(bj.getUTCHours())}:${pad(bj.getUTCMinutes())}`
  return bj.getUTCFullYear() === nowYear ? md : `${bj.getUTCFullYear()}-${md}`
}

/** "09:30" of an RFC 3339 time, in Beijing time. @param {string} iso */
function clock(iso) {
  if (!iso) return ''
  const d = new Date(iso)
  if (isNaN(d.getTime())) return iso
  const bj = new Date(d.getTime() + 8 * 3600 * 1000)
  return `${pad(bj.getUTCHours())}:${pad(bj.getUTCMinutes())}`
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
function today() {
  const bj = new Date(Date.now() + 8 * 3600 * 1000)
  return `${bj.getUTCFullYear()}-${pad(bj.getUTCMonth() + 1)}-${pad(bj.getUTCDate())}`
}

/** The weekday of a 'YYYY-MM-DD' date, e.g. "周二". @param {string} date */
function weekday(date) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '')
  if (!m) return ''
  return `周${'日一二三四五六'[new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).getUTCDay()]}`
}

/** A distance in metres as "350 米" or "2.4 公里"; '' when unknown. @param {number|null|undefined} m */
function distance(m) {
  if (typeof m !== 'number' || isNaN(m)) return ''
  if (m < 1000) return `${Math.round(m)} 米`
  return `${(Math.round(m / 100) / 10).toFixed(1)} 公里`
}

/** A 0..1 rate as "96.5%". @param {number} r */
function percent(r) {
  if (typeof r !== 'number' || isNaN(r)) return '—'
  return `${(Math.round(r * 1000) / 10).toFixed(1)}%`
}

module.exports = { REQUEST_STATUS, BOOKING_STATUS, INVITATION_STATUS, SESSION_STATUS, ACTION_LABELS, SOURCES, RESIDENCY, statusLabel, time, clock, today, weekday, distance, percent }
