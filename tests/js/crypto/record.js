// Prints every case's outcome as a JSON line; record.py turns them into expected.json.
import { CASES, run } from './cases.js';

export default {
  async test() {
    for (const cs of CASES) console.log(JSON.stringify(await run(cs)));
  },
};
