// The timeline of a request: [{action, from_status, to_status, note, at,
// visibility?, actor_name?}]. Staff see internal events (visibility
// "internal"), marked 内部 when showVisibility is set; the state is shown
// where an event changed it.
const format = require('../../utils/format')

Component({
  // The page's .elder (and app.wxss) reach inside: elder mode enlarges this component too.
  options: { addGlobalClass: true },
  properties: {
    items: { type: Array, value: [] },
    showVisibility: { type: Boolean, value: false },
  },
  data: { rows: [] },
  observers: {
    items(items) {
      const rows = (items || []).map((e, i) => ({
        key: `${i}-${e.at || ''}`,
        title: format.ACTION_LABELS[e.action] || e.action || '',
        status: e.to_status && e.to_status !== e.from_status ? format.statusLabel('request', e.to_status).text : '',
        note: e.note || '',
        at: format.time(e.at),
        actor: e.actor_name || '',
        internal: e.visibility === 'internal',
      }))
      this.setData({ rows })
    },
  },
})
