import { describe, expect, it } from 'vitest'
import { attributesBody, blankRow, move, toRows, type AttrRow } from '@/lib/attributes'

const row = (over: Partial<AttrRow>): AttrRow => ({ ...blankRow([]), description: '说明', ...over })

describe('category attributes form', () => {
  it('trims, keeps the order, drops choices of a field that is no longer a list', () => {
    const out = attributesBody([
      row({ code: ' kind ', datatype: 'singlevaluelist', description: ' 损坏类型 ', values: [{ key: ' pothole ', name: ' 坑洼 ' }, { key: '', name: '' }] }),
      row({ code: 'lamp_no', datatype: 'string', values: [{ key: 'x', name: 'y' }], required: true }),
    ])
    expect(out).toEqual({
      body: {
        attributes: [
          { code: 'kind', datatype: 'singlevaluelist', variable: true, required: false, description: '损坏类型', datatype_description: '', values: [{ key: 'pothole', name: '坑洼' }] },
          { code: 'lamp_no', datatype: 'string', variable: true, required: true, description: '说明', datatype_description: '', values: [] },
        ],
      },
    })
  })
  it('never sends an informational field as required', () => {
    const out = attributesBody([row({ code: 'note', variable: false, required: true })])
    expect('body' in out && out.body.attributes[0].required).toBe(false)
  })
  it('names the first problem', () => {
    expect(attributesBody([row({ code: 'a b' })])).toEqual({ error: '字段代码「a b」须为 1–32 位字母、数字、点、下划线或连字符' })
    expect(attributesBody([row({ code: 'a' }), row({ code: 'a' })])).toEqual({ error: '字段代码 a 重复' })
    expect(attributesBody([row({ code: 'a', description: ' ' })])).toEqual({ error: '请填写字段 a 的说明' })
    expect(attributesBody([row({ code: 'a', datatype: 'multivaluelist', values: [] })])).toEqual({ error: '列表字段 a 至少需要一个选项' })
    expect(attributesBody([row({ code: 'a', datatype: 'multivaluelist', values: [{ key: 'k', name: '' }] })])).toEqual({ error: '字段 a 的选项须同时填写键和名称' })
    expect(attributesBody([row({ code: 'a', datatype: 'multivaluelist', values: [{ key: 'k', name: '甲' }, { key: 'k', name: '乙' }] })])).toEqual({ error: '字段 a 的选项键重复' })
    expect(attributesBody([])).toEqual({ body: { attributes: [] } })
  })
  it('reads the stored definition in its order and suggests a free code', () => {
    const rows = toRows([
      { code: 'b', datatype: 'text', variable: true, required: false, order: 2, description: '乙', datatype_description: '', values: [] },
      { code: 'a', datatype: 'number', variable: true, required: true, order: 1, description: '甲', datatype_description: '米', values: [] },
    ])
    expect(rows.map((r) => r.code)).toEqual(['a', 'b'])
    expect(blankRow([row({ code: 'field2' })]).code).toBe('field3')
    move(rows, 1, -1)
    expect(rows.map((r) => r.code)).toEqual(['b', 'a'])
    move(rows, 1, 1)
    expect(rows.map((r) => r.code)).toEqual(['b', 'a'])
  })
})
