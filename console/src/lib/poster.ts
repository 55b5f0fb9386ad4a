// The QR poster of a liaison point: the mini-program code the server draws,
// with the point's name, address and hours, as a PNG for printing.
import type { Point, Schedule } from '@/api/types'
import { weekday } from './labels'

function loadImage(blob: Blob): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(blob)
    const img = new Image()
    img.onload = () => {
      URL.revokeObjectURL(url)
      resolve(img)
    }
    img.onerror = () => reject(new Error('二维码图片无法读取'))
    img.src = url
  })
}

export async function poster(point: Point, rule: Schedule | null, code: Blob): Promise<Blob> {
  const img = await loadImage(code)
  const W = 1240
  const H = 1754 // A4 at 150 dpi
  const c = document.createElement('canvas')
  c.width = W
  c.height = H
  const g = c.getContext('2d')
  if (!g) throw new Error('浏览器不支持画布')
  g.fillStyle = '#fff'
  g.fillRect(0, 0, W, H)
  g.fillStyle = '#c0392b'
  g.fillRect(0, 0, W, 220)
  g.fillStyle = '#fff'
  g.textAlign = 'center'
  g.font = 'bold 76px sans-serif'
  g.fillText('驻点直联 · 有事请找我们', W / 2, 140)
  g.fillStyle = '#303133'
  g.font = 'bold 64px sans-serif'
  g.fillText(point.name, W / 2, 360)
  g.font = '40px sans-serif'
  g.fillStyle = '#606266'
  g.fillText(point.address, W / 2, 430)
  if (rule) {
    const hours = rule.windows.map((w) => `${w.start}–${w.end}`).join('、')
    g.fillText(`每${weekday[rule.weekday]} ${hours} 驻点接待`, W / 2, 500)
  }
  const size = 760
  g.drawImage(img, (W - size) / 2, 580, size, size)
  g.fillStyle = '#303133'
  g.font = '44px sans-serif'
  g.fillText('微信扫码：预约接待、反映诉求、查看办理进度', W / 2, 1440)
  g.fillStyle = '#909399'
  g.font = '32px sans-serif'
  g.fillText('户籍与非户籍常住居民同等参与', W / 2, 1510)
  return new Promise((resolve, reject) => c.toBlob((b) => (b ? resolve(b) : reject(new Error('海报生成失败'))), 'image/png'))
}
