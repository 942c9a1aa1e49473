// The routes: #/path → page. Ids must be decimal uint64s, so anything else
// is a not-found page instead of a malformed request to the node.

import { overview } from './overview.js';
import { loans, loan } from './loans.js';
import { collateral, title } from './collateral.js';
import { auctions, auction } from './auctions.js';
import { oracle } from './oracle.js';
import { redemptions } from './redemptions.js';
import { insurance } from './insurance.js';

const ID = '(\\d{1,19})';

export const routes = [
  { pattern: /^\/?$/, page: overview },
  { pattern: /^\/loans\/?$/, page: loans },
  { pattern: new RegExp(`^/loans?/${ID}$`), page: loan },
  { pattern: /^\/collateral\/?$/, page: collateral },
  { pattern: new RegExp(`^/titles?/${ID}$`), page: title },
  { pattern: /^\/auctions\/?$/, page: auctions },
  { pattern: new RegExp(`^/auctions?/${ID}$`), page: auction },
  { pattern: /^\/oracle\/?$/, page: oracle },
  { pattern: /^\/redemptions\/?$/, page: redemptions },
  { pattern: /^\/insurance\/?$/, page: insurance },
];
