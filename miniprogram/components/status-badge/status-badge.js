// A coloured label for a request / booking / invitation / session status.
const format = require('../../utils/format')

Component({
  // The page's .elder (and app.wxss) reach inside: elder mode enlarges this component too.
  options: { addGlobalClass: true },
  properties: {
    kind: { type: String, value: 'request' },
    status: { type: String, value: '' },
  },
  data: { text: '', tone: 'wait' },
  observers: {
    'kind, status': function (kind, status) {
      const l = format.statusLabel(kind, status)
      this.setData({ text: l.text, tone: l.tone })
    },
  },
})
