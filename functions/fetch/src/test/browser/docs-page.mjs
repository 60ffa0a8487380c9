// node docs-page.mjs <docsUrl> <chromiumPath>
// Opens the rendered API document in headless Chromium and prints one JSON line: the page's title, every operation
// Swagger UI rendered (method and path), what one expanded operation shows, each CSP violation the page reported,
// console errors, failed requests and every answered request with its status.
import puppeteer from 'puppeteer-core'

const [url, executablePath] = process.argv.slice(2)
const browser = await puppeteer.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage']
})
try {
  const page = await browser.newPage()
  const errors = []
  const requests = []
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()) })
  page.on('pageerror', e => errors.push(String(e)))
  page.on('requestfailed', r => errors.push('request failed: ' + r.url() + ' ' + (r.failure()?.errorText ?? '')))
  page.on('requestfinished', r => requests.push({ url: r.url(), status: r.response()?.status() }))
  await page.evaluateOnNewDocument(() => {
    window.__violations = []
    document.addEventListener('securitypolicyviolation',
      e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI))
  })
  await page.goto(url, { waitUntil: 'networkidle0', timeout: 30000 })
  await page.waitForSelector('.opblock .opblock-summary-method', { timeout: 30000 })
  const title = await page.$eval('.info .title', e => e.textContent.trim())
  const operations = await page.$$eval('.opblock', blocks => blocks.map(b =>
    b.querySelector('.opblock-summary-method').textContent.trim() + ' ' +
    b.querySelector('.opblock-summary-path').getAttribute('data-path')))
  // expand the first operation: its parameters and responses render from the document
  await page.click('.opblock .opblock-summary')
  await page.waitForSelector('.opblock.is-open .responses-table', { timeout: 10000 })
  const responses = await page.$$eval('.opblock.is-open .responses-table .response-col_status',
    cells => cells.map(c => c.textContent.trim()).filter(s => /^\d{3}$/.test(s)))
  const violations = await page.evaluate(() => window.__violations)
  console.log(JSON.stringify({ title, operations, responses, violations, errors, requests }))
} finally {
  await browser.close()
}
