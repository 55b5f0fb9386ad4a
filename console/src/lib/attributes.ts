// The category attributes editor's form: rows as edited, and the body of
// PUT /admin/categories/{id}/attributes. The server validates everything
// again (model.ValidateAttributes); this only catches what a person can fix
// before sending, in the same words.
import type { AttrDatatype, ServiceAttribute } from '@/api/types'

export interface AttrRow {
  code: string
  datatype: AttrDatatype
  variable: boolean
  required: boolean
  description: string
  datatype_description: string
  values: { key: string; name: string }[]
}

const CODE = /^[A-Za-z0-9_.-]{1,32}$/

export const isList = (t: AttrDatatype) => t === 'singlevaluelist' || t === 'multivaluelist'

/** A blank field, the next free code suggested. */
export function blankRow(existing: AttrRow[]): AttrRow {
  let n = existing.length + 1
  while (existing.some((r) => r.code === `field${n}`)) n++
  return { code: `field${n}`, datatype: 'string', variable: true, required: false, description: '', datatype_description: '', values: [] }
}

/** Rows to edit from the definition as stored. */
export function toRows(attrs: ServiceAttribute[]): AttrRow[] {
  return [...attrs]
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
    .map((a) => ({
      code: a.code,
      datatype: a.datatype,
      variable: a.variable,
      required: a.required,
      description: a.description,
      datatype_description: a.datatype_description ?? '',
      values: (a.values ?? []).map((v) => ({ ...v })),
    }))
}

/** The PUT body, or the first problem in Chinese. The order of the rows is the fields' order. */
export function attributesBody(rows: AttrRow[]): { error: string } | { body: { attributes: AttrRow[] } } {
  const seen = new Set<string>()
  const out: AttrRow[] = []
  for (const r of rows) {
    const code = r.code.trim()
    if (!CODE.test(code)) return { error: `字段代码「${code}」须为 1–32 位字母、数字、点、下划线或连字符` }
    if (seen.has(code)) return { error: `字段代码 ${code} 重复` }
    seen.add(code)
    const description = r.description.trim()
    if (!description) return { error: `请填写字段 ${code} 的说明` }
    const values = isList(r.datatype)
      ? r.values.map((v) => ({ key: v.key.trim(), name: v.name.trim() })).filter((v) => v.key || v.name)
      : []
    if (isList(r.datatype)) {
      if (!values.length) return { error: `列表字段 ${code} 至少需要一个选项` }
      if (values.some((v) => !v.key || !v.name)) return { error: `字段 ${code} 的选项须同时填写键和名称` }
      if (new Set(values.map((v) => v.key)).size !== values.length) return { error: `字段 ${code} 的选项键重复` }
    }
    out.push({
      code,
      datatype: r.datatype,
      variable: r.variable,
      required: r.variable && r.required, // an informational field takes no answer
      description,
      datatype_description: r.datatype_description.trim(),
      values,
    })
  }
  return { body: { attributes: out } }
}

/** Moves row i up (-1) or down (+1) in place. */
export function move<T>(rows: T[], i: number, by: -1 | 1) {
  const j = i + by
  if (j < 0 || j >= rows.length) return
  ;[rows[i], rows[j]] = [rows[j], rows[i]]
}
