// The form each cadre action asks for. WHICH actions an item offers is the
// server's answer (`action_items` on GET /work/requests/{id}, from the state
// machine in model/request_actions.go); this file only knows what to ask
// before sending one. resolve and respond may carry result photos (image_ids,
// uploaded first), which the resident then sees on the request page.
// Fields of each action's form; `required` ones are checked before sending.
const FORMS = {
  accept: { fields: ['note'], required: [] },
  reject: { fields: ['reason', 'duplicate_of'], required: ['reason'] },
  transfer: { fields: ['org_id', 'note'], required: ['org_id', 'note'] },
  assign: { fields: ['account_id'], required: ['account_id'] },
  progress: { fields: ['note', 'public'], required: ['note'] },
  invite: { fields: ['department_id', 'message', 'due_date'], required: ['department_id', 'message', 'due_date'] },
  resolve: { fields: ['result', 'image_ids'], required: ['result'] },
  respond: { fields: ['result', 'image_ids'], required: ['result'] },
  park: { fields: ['plan', 'review_date'], required: ['plan', 'review_date'] },
  resume: { fields: [], required: [] },
}

const FIELD_LABELS = {
  note: '说明',
  reason: '不予受理理由',
  duplicate_of: '重复的工单编号',
  org_id: '转办单位',
  account_id: '经办人',
  public: '对群众公开',
  department_id: '约请部门',
  message: '约请事项',
  due_date: '答复期限',
  result: '办理结果',
  plan: '跟进计划',
  review_date: '复查日期',
  image_ids: '结果照片',
}

const INT_FIELDS = ['org_id', 'account_id', 'department_id', 'duplicate_of']

/**
 * The JSON body of an action from the form's values, or an error message.
 * @param {string} action
 * @param {Record<string, any>} form
 * @returns {{body?: Record<string, any>, error?: string}}
 */
function buildBody(action, form) {
  const spec = FORMS[action]
  if (!spec) return { error: '不支持的操作' }
  /** @type {Record<string, any>} */
  const body = {}
  for (const f of spec.fields) {
    let v = form[f]
    if (typeof v === 'string') v = v.trim()
    if (f === 'public') {
      body.public = !!v
      continue
    }
    if (f === 'image_ids') {
      if (Array.isArray(v) && v.length) body.image_ids = v.map(Number)
      continue
    }
    if (v === undefined || v === null || v === '') {
      if (spec.required.indexOf(f) >= 0) return { error: `请填写${FIELD_LABELS[f]}` }
      continue
    }
    if (INT_FIELDS.indexOf(f) >= 0) {
      const n = Number(v)
      if (!Number.isInteger(n) || n <= 0) return { error: `${FIELD_LABELS[f]}不正确` }
      v = n
    }
    body[f] = v
  }
  return { body }
}

module.exports = { FORMS, FIELD_LABELS, buildBody }
