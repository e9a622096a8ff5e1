import * as fs from 'fs'

const data: string[] = fs.readFileSync(0, 'utf8').split(/\s+/).filter(Boolean)
const mode: string = data[0]
if (mode === 'hello') {
  console.log('Hello, World!')
} else if (mode === 'sum') {
  const a: bigint = BigInt(data[1])
  console.log((a + BigInt(data[2])).toString())
} else if (mode === 'loop') {
  let x = 2
  while (x !== 0) x = (x * x) % 1000003
  console.log(x)
} else if (mode === 'args') {
  console.log(process.argv.slice(2).map((a) => Buffer.byteLength(a) + ':' + a + '|').join(''))
} else if (mode === 'crash') {
  throw new Error('crash on purpose')
} else if (mode === 'alloc') {
  const keep: string[][] = []
  for (;;) keep.push('x'.repeat(1 << 20).split(''))
}
