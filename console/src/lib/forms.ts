// What each action's form asks for. Which actions an item offers comes from
// the server (`actions` on the item); this only lays out their forms.
import type { StaffAction } from '@/api/types'

export type FieldKind = 'text' | 'textarea' | 'switch' | 'date' | 'assignee' | 'transfer' | 'department' | 'number'

export interface Field {
  key: string
  label: string
  kind: FieldKind
  required?: boolean
  placeholder?: string
}

export const actionForms: Record<StaffAction, { title: string; fields: Field[]; danger?: boolean }> = {
  accept: { title: '受理', fields: [{ key: 'note', label: '说明', kind: 'textarea', placeholder: '可选，群众可见' }] },
  reject: {
    title: '不予受理', danger: true,
    fields: [
      { key: 'reason', label: '理由', kind: 'textarea', required: true, placeholder: '群众可见' },
      { key: 'duplicate_of', label: '重复于', kind: 'number', placeholder: '重复的诉求编号（数字 id），可选' },
    ],
  },
  progress: {
    title: '记录进展',
    fields: [
      { key: 'note', label: '进展', kind: 'textarea', required: true },
      { key: 'public', label: '群众可见', kind: 'switch' },
    ],
  },
  invite: {
    title: '约请部门',
    fields: [
      { key: 'department_id', label: '部门', kind: 'department', required: true },
      { key: 'message', label: '约请事项', kind: 'textarea', required: true },
      { key: 'due_date', label: '答复期限', kind: 'date', required: true },
    ],
  },
  resolve: { title: '办结（已解决）', fields: [{ key: 'result', label: '办理结果', kind: 'textarea', required: true, placeholder: '群众可见' }] },
  respond: { title: '办结（已答复）', fields: [{ key: 'result', label: '答复内容', kind: 'textarea', required: true, placeholder: '无法按诉求解决时的解释，群众可见' }] },
  park: {
    title: '转长期跟进',
    fields: [
      { key: 'plan', label: '办理计划', kind: 'textarea', required: true },
      { key: 'review_date', label: '复核日期', kind: 'date', required: true },
    ],
  },
  resume: { title: '恢复办理', fields: [{ key: 'note', label: '说明', kind: 'textarea' }] },
  transfer: {
    title: '转办',
    fields: [
      { key: 'org_id', label: '转至', kind: 'transfer', required: true },
      { key: 'note', label: '转办说明', kind: 'textarea', required: true },
    ],
  },
  assign: { title: '指派经办人', fields: [{ key: 'account_id', label: '经办人', kind: 'assignee', required: true }] },
}

/** Checks the required fields and drops empty optional ones. */
export function buildBody(action: StaffAction, form: Record<string, unknown>): { body?: Record<string, unknown>; error?: string } {
  const body: Record<string, unknown> = {}
  for (const f of actionForms[action].fields) {
    const v = form[f.key]
    const empty = v === undefined || v === null || (typeof v === 'string' && v.trim() === '')
    if (empty) {
      if (f.required) return { error: `请填写「${f.label}」` }
      continue
    }
    body[f.key] = typeof v === 'string' ? v.trim() : v
  }
  return { body }
}
