// Stops the server (SIGTERM, then SIGKILL after 10 s), drops its database,
// deletes its Redis keys and the temporary directory.
const { execFileSync } = require('child_process')
const fs = require('fs')

module.exports = async function globalTeardown() {
  const s = globalThis.__ZLMP__
  if (!s) return
  if (s.child.exitCode === null) {
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        s.child.kill('SIGKILL')
        resolve(undefined)
      }, 10000)
      s.child.once('exit', () => {
        clearTimeout(timer)
        resolve(undefined)
      })
      s.child.kill('SIGTERM')
    })
  }
  try {
    execFileSync('mysql', ['-h127.0.0.1', '-uroot', '-e', `DROP DATABASE IF EXISTS \`${s.db}\``], { stdio: 'inherit' })
  } catch (err) {
    console.error(`could not drop ${s.db}: ${err.message}`)
  }
  try {
    const keys = execFileSync('redis-cli', ['-h', '127.0.0.1', '--scan', '--pattern', `${s.prefix}*`]).toString().split('\n').filter(Boolean)
    for (let i = 0; i < keys.length; i += 200) execFileSync('redis-cli', ['-h', '127.0.0.1', 'DEL', ...keys.slice(i, i + 200)])
  } catch (err) {
    // redis-cli is optional: the keys expire on their own.
  }
  fs.rmSync(s.tmp, { recursive: true, force: true })
}
