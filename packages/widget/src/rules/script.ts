// dist/beckon-rules.js: hands the decision code to the loader that injected this script, without a global.
import * as rules from './index.js';

dispatchEvent(new CustomEvent('beckon:rules', { detail: rules }));
