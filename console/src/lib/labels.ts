// Chinese names of the API's enum values, for display and filter options.
// They name values; they decide nothing (the server says what is allowed).

export const requestStatus: Record<string, string> = {
  submitted: '待受理', accepted: '办理中', long_term: '长期跟进', resolved: '已解决',
  responded: '已答复', rejected: '不予受理', withdrawn: '已撤回', merged: '已合并',
}
export const statusTag: Record<string, 'primary' | 'success' | 'warning' | 'danger' | 'info'> = {
  submitted: 'warning', accepted: 'primary', long_term: 'info', resolved: 'success',
  responded: 'success', rejected: 'danger', withdrawn: 'info', merged: 'info',
}
export const source: Record<string, string> = {
  miniprogram: '小程序', session: '驻点接待', walk_in: '来访登记', staff: '干部代录', open311: '外部系统',
}
export const residency: Record<string, string> = { hukou: '户籍', non_hukou: '非户籍', unknown: '未登记' }
export const action: Record<string, string> = {
  submit: '提交', accept: '受理', reject: '不予受理', withdraw: '撤回', transfer: '转办', assign: '指派',
  progress: '进展', invite: '约请部门', resolve: '办结（已解决）', respond: '办结（已答复）', park: '转长期跟进',
  resume: '恢复办理', rate: '评价', redo: '要求重办', flag: '标记复核', anonymise: '匿名化',
  invite_accept: '部门接受约请', invite_decline: '部门退回约请', invite_reply: '部门答复', invite_withdraw: '撤回约请',
  merge: '合并到其他诉求', merge_in: '并入重复诉求', outcome: '随合并办结',
}
export const invitationStatus: Record<string, string> = {
  pending: '待答复', accepted: '已接受', declined: '已婉拒', replied: '已答复', withdrawn: '已撤回',
}
export const orgKind: Record<string, string> = {
  city: '市', district: '区', town: '镇街', community: '村居', department: '职能部门',
}
export const role: Record<string, string> = { cadre: '干部', admin: '管理员' }
export const accountStatus: Record<string, string> = { active: '正常', disabled: '已停用' }
export const sessionStatus: Record<string, string> = { open: '开放', closed: '已结束', cancelled: '已取消' }
export const sessionKind: Record<string, string> = { regular: '常规', extra: '加开/补班' }
export const bookingStatus: Record<string, string> = { booked: '已预约', checked_in: '已签到', cancelled: '已取消', no_show: '未到' }
export const outboxState: Record<string, string> = { pending: '待发送', sent: '已发送', refused: '用户未订阅', skipped: '未配置模板', dead: '发送失败' }
export const weekday = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日']

export function label(dict: Record<string, string>, v: string | null | undefined): string {
  if (!v) return ''
  return dict[v] ?? v
}

/** Options for a select from a dictionary. */
export function options(dict: Record<string, string>) {
  return Object.entries(dict).map(([value, label]) => ({ value, label }))
}

export const auditAction: Record<string, string> = {
  'account.create': '开设账号', 'account.update': '修改账号', 'account.disable': '停用账号', 'account.enable': '启用账号',
  'account.reset_password': '重置密码', 'account.wechat_bind': '绑定微信',
  'calendar.override': '调整节假日', 'calendar.clear': '撤销节假日调整',
  'category.create': '新增类别', 'category.update': '修改类别', 'category.delete': '删除类别',
  'org.create': '新增机构', 'org.rename': '机构更名', 'org.deactivate': '停用机构', 'org.activate': '启用机构', 'org.delete': '删除机构',
  'point.create': '新增驻点', 'point.update': '修改驻点', 'point.delete': '删除驻点', 'point.schedule': '设置排班',
  'session.add': '加开接待', 'session.cancel': '取消接待', 'session.close': '结束接待',
  'integrator.create': '新增对接单位', 'api_key.issue': '签发接口密钥', 'api_key.revoke': '吊销接口密钥',
  'category.attributes': '设置服务附加字段', 'open311.request.create': 'Open311 提交诉求',
}
export const targetType: Record<string, string> = {
  account: '账号', org: '机构', category: '类别', point: '驻点', session: '接待场次', calendar: '日历',
  integrator: '对接单位', api_key: '接口密钥', request: '诉求',
}
export const keyStatus: Record<string, string> = { active: '有效', revoked: '已吊销' }
export const attrDatatype: Record<string, string> = {
  string: '单行文本', text: '多行文本', number: '数字', datetime: '日期时间', singlevaluelist: '单选', multivaluelist: '多选',
}
export const topicSince: Record<string, string> = {
  last_session: '上次接待以来', week: '近 7 天', query: '所选期间', daily: '每日计算',
}
