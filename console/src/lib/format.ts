// Display helpers. The API sends times as RFC 3339 with +08:00; business
// dates are Asia/Shanghai, whatever the browser's zone.

const TZ = 'Asia/Shanghai'

function parts(iso: string) {
  const d = new Date(iso)
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  })
  const p: Record<string, string> = {}
  for (const x of f.formatToParts(d)) p[x.type] = x.value
  return p
}

/** "2026-11-24 09:30" (Asia/Shanghai), or '' for nothing. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return ''
  const p = parts(iso)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

/** "11-24 09:30" (Asia/Shanghai), for narrow table columns. */
export function shortDateTime(iso: string | null | undefined): string {
  return dateTime(iso).slice(5)
}

/** "09:30" (Asia/Shanghai). */
export function clock(iso: string | null | undefined): string {
  if (!iso) return ''
  const p = parts(iso)
  return `${p.hour}:${p.minute}`
}

/** Today's business date, YYYY-MM-DD in Asia/Shanghai. */
export function today(now = new Date()): string {
  const p = parts(now.toISOString())
  return `${p.year}-${p.month}-${p.day}`
}

/** Adds days to a YYYY-MM-DD date. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** The first day of the month of a date, and of the next month. */
export function monthRange(date: string): [string, string] {
  const [y, m] = date.split('-').map(Number)
  const first = `${y}-${String(m).padStart(2, '0')}-01`
  const ny = m === 12 ? y + 1 : y
  const nm = m === 12 ? 1 : m + 1
  return [first, `${ny}-${String(nm).padStart(2, '0')}-01`]
}

/** 0.9654 → "96.5%". */
export function pct(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '—'
  return `${(x * 100).toFixed(digits)}%`
}

/** Thousands separators for counts. */
export function count(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—'
  return n.toLocaleString('zh-CN')
}

/** The file name of a Content-Disposition header, or a fallback. */
export function fileNameOf(disposition: string | null, fallback: string): string {
  if (!disposition) return fallback
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)
  if (star) return decodeURIComponent(star[1])
  const plain = /filename="?([^";]+)"?/i.exec(disposition)
  return plain ? plain[1] : fallback
}

/** Saves a Blob under a file name (a temporary object URL, then revoked). */
export function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
