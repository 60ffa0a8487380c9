// node tus-upload.mjs <endpoint> <apiKey> <file> <filename> <chunkSize> [interrupt]
// Uploads <file> with tus-js-client; with "interrupt", aborts after the first chunk and resumes from the upload URL
// with a new Upload (HEAD, then the rest), as a client that lost its connection does. Prints one JSON line.
import { readFileSync } from 'node:fs'
import * as tus from 'tus-js-client'

const [endpoint, apiKey, file, filename, chunkSize, interrupt] = process.argv.slice(2)
const data = readFileSync(file)
let imageId = null
let chunks = 0

function options (extra) {
  return {
    endpoint,
    chunkSize: Number(chunkSize),
    retryDelays: [0, 200, 500, 1000],
    headers: { Authorization: `Bearer ${apiKey}` },
    metadata: { filename },
    removeFingerprintOnSuccess: true,
    onAfterResponse (req, res) {
      const id = res.getHeader('ImgStream-Image-Id')
      if (id) imageId = id
    },
    ...extra
  }
}

function run (opts) {
  return new Promise((resolve, reject) => {
    const upload = new tus.Upload(data, options({
      ...opts,
      onSuccess: () => resolve(upload),
      onError: reject,
      onChunkComplete: () => {
        chunks++
        if (opts.abortAfterFirst && chunks === 1) {
          upload.abort(false).then(() => resolve(upload))
        }
      }
    }))
    upload.start()
  })
}

try {
  let upload = await run({ abortAfterFirst: interrupt === 'interrupt' })
  let resumedFrom = null
  if (interrupt === 'interrupt') {
    resumedFrom = upload.url
    upload = await run({ uploadUrl: resumedFrom })
  }
  console.log(JSON.stringify({ url: upload.url, imageId, chunks, resumedFrom }))
} catch (e) {
  console.log(JSON.stringify({ error: String(e && e.message ? e.message : e) }))
  process.exit(1)
}
