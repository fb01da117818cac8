/**
 * Vocabulary of the routing benchmark's synthetic content pipeline: products, topics, their aspects
 * and, per aspect, claims written as two paraphrases each (so near-duplicates are true paraphrases,
 * not copies). Slots: {P} product phrase, {name} product name, {cat} product category, {C} competitor,
 * {seg} customer segment, {role} buyer role, {reg} region, {ch} social channel, {q} quarter,
 * {kw} search keyword, {n} small number, {pct} percentage, {price} price.
 */

export type ContextType = 'FINDING' | 'CONSTRAINT' | 'OBJECTIVE' | 'OUTPUT' | 'CONSENSUS' | 'SUMMARY' | 'DECISION';

export interface Product {
  name: string;
  category: string;
  keyword: string;
}

export const PRODUCTS: Product[] = [
  { name: 'Aurora', category: 'analytics dashboard', keyword: 'real-time sales dashboard' },
  { name: 'Beacon', category: 'mobile check-in app', keyword: 'visitor check-in app' },
  { name: 'Cobalt', category: 'payments API', keyword: 'payment gateway API' },
  { name: 'Drift', category: 'customer support chatbot', keyword: 'AI support chatbot' },
  { name: 'Ember', category: 'CRM email plugin', keyword: 'email tracking for CRM' },
  { name: 'Fjord', category: 'cloud data warehouse', keyword: 'managed data warehouse' },
  { name: 'Garnet', category: 'expense management tool', keyword: 'expense report software' },
  { name: 'Harbor', category: 'employee onboarding platform', keyword: 'employee onboarding software' },
  { name: 'Iris', category: 'document scanning SDK', keyword: 'OCR scanning SDK' },
  { name: 'Juniper', category: 'endpoint security suite', keyword: 'endpoint protection for small business' },
];

export const SLOT_VALUES = {
  C: ['Globex', 'Initech', 'Vandelay', 'Hooli', 'Umbrella Systems', 'Soylent Cloud'],
  seg: ['mid-market retailers', 'enterprise banks', 'healthcare providers', 'small agencies', 'public-sector teams', 'logistics firms'],
  role: ['operations managers', 'finance directors', 'IT administrators', 'marketing leads', 'data analysts', 'HR managers'],
  reg: ['the EU', 'North America', 'APAC', 'the UK', 'Latin America'],
  ch: ['LinkedIn', 'Instagram', 'YouTube', 'TikTok', 'the newsletter'],
  q: ['Q1', 'Q2', 'Q3', 'Q4'],
};

/** Generic stand-ins for {P} in items that apply to every product (only constraint-like topics have them). */
export const GENERIC_PRODUCT_PHRASES = ['every product we sell', 'all of our products'];

export interface Aspect {
  id: string;
  /** Each claim is a list of paraphrases of one proposition. */
  claims: string[][];
}

export interface Topic {
  id: string;
  /** Relative frequency of the topic in the generated stream. */
  weight: number;
  types: [ContextType, number][];
  /** Share of items that apply to every product (product = null). */
  generalShare: number;
  aspects: Aspect[];
}

export const TOPICS: Topic[] = [
  {
    id: 'market-research',
    weight: 1.2,
    types: [
      ['FINDING', 0.8],
      ['SUMMARY', 0.2],
    ],
    generalShare: 0,
    aspects: [
      {
        id: 'market-size',
        claims: [
          [
            'The addressable market for {P} among {seg} is about ${n} billion and growing {pct}% a year.',
            'We estimate {seg} spend roughly ${n}B annually on tools like {P}, with {pct}% yearly growth.',
          ],
          [
            'Demand for the {cat} category in {reg} grew {pct}% last year, the fastest of any region we track for {P}.',
            '{reg} is the fastest-growing region for {P}: adoption of the {cat} category there rose {pct}% year over year.',
          ],
        ],
      },
      {
        id: 'pain-points',
        claims: [
          [
            'Before adopting {P}, {seg} say their biggest frustration is manual reporting that takes {n} hours a week.',
            'Buyers among {seg} complain that, without {P}, they lose about {n} hours weekly to manual reports.',
          ],
          [
            'In interviews, {pct}% of {role} said integration effort is what stops them from buying a {cat} like {P}.',
            'Integration work is the main blocker for {pct}% of the {role} we spoke to when considering {P}.',
          ],
        ],
      },
      {
        id: 'willingness-to-pay',
        claims: [
          [
            'Survey respondents among {seg} would pay up to ${price} per seat per month for {P}.',
            'Willingness to pay for {P} tops out near ${price} per user monthly among {seg}.',
          ],
          [
            '{pct}% of trial users of {P} said they would upgrade if annual billing came with a discount.',
            'An annual-plan discount would convert {pct}% of {P} trial users to paid, according to our survey.',
          ],
        ],
      },
    ],
  },
  {
    id: 'competitor-analysis',
    weight: 1.2,
    types: [
      ['FINDING', 0.7],
      ['SUMMARY', 0.3],
    ],
    generalShare: 0,
    aspects: [
      {
        id: 'competitor-pricing',
        claims: [
          [
            '{C} undercuts {P} by about {pct}% on its entry plan in {reg}.',
            "In {reg}, {C}'s starter tier is roughly {pct}% cheaper than {P}.",
          ],
          [
            '{C} bundles its own {cat} free with larger contracts, which puts price pressure on {P} deals.',
            'Because {C} gives away a {cat} in enterprise bundles, {P} faces discounting pressure.',
          ],
        ],
      },
      {
        id: 'competitor-features',
        claims: [
          [
            '{C} shipped an offline mode last quarter; {P} still lacks it.',
            "Unlike {P}, {C}'s {cat} now works offline after its latest release.",
          ],
          [
            "{C}'s {cat} has {n} native integrations, far more than {P} offers.",
            '{P} trails {C} on integrations: they list {n} native connectors.',
          ],
        ],
      },
      {
        id: 'competitor-positioning',
        claims: [
          [
            '{C} markets its {cat} as the safe enterprise choice, leaving {P} room to win on ease of use.',
            'Positioning-wise, {C} leans on enterprise trust, so {P} can differentiate on simplicity.',
          ],
          [
            "{C}'s new advertising campaign targets {seg} directly, the same audience as {P}.",
            "{seg} are now the focus of {C}'s ads, overlapping head-on with the buyers of {P}.",
          ],
        ],
      },
    ],
  },
  {
    id: 'customer-personas',
    weight: 1,
    types: [
      ['FINDING', 0.6],
      ['SUMMARY', 0.4],
    ],
    generalShare: 0,
    aspects: [
      {
        id: 'buyer-roles',
        claims: [
          [
            'The primary buyer of {P} is the {role} at {seg}, who care most about saving time.',
            '{P} is usually bought by {role} at {seg}; their top goal is saving time.',
          ],
          [
            'Day-to-day users of {P} are mostly junior staff, while {role} sign the contract.',
            '{role} approve the purchase of {P}, but junior staff are the daily users.',
          ],
        ],
      },
      {
        id: 'objections',
        claims: [
          [
            '{role} object that rolling out {P} will need IT help they cannot get this year.',
            'A common objection to {P} from {role}: no IT capacity to help with the rollout.',
          ],
          [
            'Security review is the top objection to {P} among {seg}, mentioned in {pct}% of lost deals.',
            '{pct}% of the {P} deals we lost with {seg} cite security review concerns.',
          ],
        ],
      },
      {
        id: 'buying-process',
        claims: [
          [
            '{seg} typically take {n} weeks from first demo to signed contract for {P}.',
            'The sales cycle for {P} with {seg} averages {n} weeks from demo to signature.',
          ],
          [
            'Most {role} discover tools like {P} through peer recommendations rather than ads.',
            'Word of mouth, not advertising, is how {role} usually first hear about {P}.',
          ],
        ],
      },
    ],
  },
  {
    id: 'product-features',
    weight: 1.1,
    types: [
      ['FINDING', 0.5],
      ['OUTPUT', 0.2],
      ['DECISION', 0.3],
    ],
    generalShare: 0,
    aspects: [
      {
        id: 'capabilities',
        claims: [
          [
            '{P} now supports scheduled exports and role-based access for teams of up to {n} users.',
            'Teams of up to {n} people can use the new role-based permissions and scheduled exports of {P}.',
          ],
          [
            'The headline capability of {P} is setting up a working {cat} in under {n} minutes without code.',
            'With {P}, a working {cat} is ready in less than {n} minutes, no coding required.',
          ],
        ],
      },
      {
        id: 'roadmap',
        claims: [
          [
            'Single sign-on for {P} is planned for {q}, pending the security audit.',
            '{P} should get SSO in {q} once the security audit clears.',
          ],
          [
            'The {P} team will release a public API in {q}; the beta has {n} design partners.',
            'A public API for {P} is due in {q}, with {n} design partners in the beta.',
          ],
        ],
      },
      {
        id: 'limitations',
        claims: [
          [
            'Known issue: {P} exports fail for datasets above {n} million rows.',
            '{P} cannot currently export more than {n} million rows; larger exports error out.',
          ],
          [
            '{P} is not yet hosted in data centres in {reg}, which blocks some regulated customers.',
            'Regulated customers in {reg} are blocked because {P} has no local hosting there yet.',
          ],
        ],
      },
    ],
  },
  {
    id: 'pricing',
    weight: 0.9,
    types: [
      ['DECISION', 0.6],
      ['FINDING', 0.4],
    ],
    generalShare: 0,
    aspects: [
      {
        id: 'plans',
        claims: [
          [
            '{P} will launch with three plans: Starter at ${price} a month, Team, and Enterprise.',
            'Three tiers are planned for {P}, starting at ${price} per month for Starter.',
          ],
          [
            'The Team plan of {P} includes {n} seats; extra seats cost ${price} each.',
            'Each additional seat beyond the {n} included in the {P} Team plan costs ${price}.',
          ],
        ],
      },
      {
        id: 'discounts',
        claims: [
          [
            'Annual billing for {P} gets a {pct}% discount; sales may not go beyond that without approval.',
            'Sales can offer up to {pct}% off {P} for annual prepayment; anything more needs sign-off.',
          ],
          ['Nonprofits and schools get {P} at {pct}% off list price.', '{P} is discounted {pct}% for education and nonprofit customers.'],
        ],
      },
      {
        id: 'price-changes',
        claims: [
          [
            'From {q}, the list price of {P} rises {pct}% for new customers; existing ones are grandfathered.',
            'New {P} customers will pay {pct}% more starting {q}, while current customers keep their price.',
          ],
          [
            'The free tier of {P} will be capped at {n} projects starting {q}.',
            'Starting {q}, the free plan of {P} allows only {n} projects.',
          ],
        ],
      },
    ],
  },
  {
    id: 'brand-guidelines',
    weight: 0.8,
    types: [['CONSTRAINT', 1]],
    generalShare: 0.25,
    aspects: [
      {
        id: 'tone-of-voice',
        claims: [
          [
            "Copy about {P} must use a friendly, plain-English tone and address the reader as 'you'.",
            'Write about {P} in plain, warm language, speaking directly to the reader.',
          ],
          [
            "Avoid hype words like 'revolutionary' or 'game-changing' when describing {P}.",
            "Never call {P} 'revolutionary' or 'game-changing'; keep the claims modest.",
          ],
        ],
      },
      {
        id: 'visual-identity',
        claims: [
          [
            'The logo of {P} needs clear space equal to its height and must never be recoloured.',
            'Keep a margin the height of the logo around the mark of {P}, and never change its colours.',
          ],
          [
            'Use the teal primary palette for materials about {P}; orange is reserved for warnings.',
            'Assets for {P} use teal as the main colour; keep orange for alerts only.',
          ],
        ],
      },
      {
        id: 'naming',
        claims: [
          [
            'Always write the product name of {P} with a capital first letter, never in all caps.',
            'The name of {P} is capitalised normally, never written in uppercase.',
          ],
          [
            "Refer to customers of {P} as 'teams', not 'users' or 'clients'.",
            "In copy about {P}, say 'teams' rather than 'users' or 'clients'.",
          ],
        ],
      },
    ],
  },
  {
    id: 'regulations',
    weight: 0.8,
    types: [['CONSTRAINT', 1]],
    generalShare: 0.25,
    aspects: [
      {
        id: 'advertising-claims',
        claims: [
          [
            'Any claim that {P} saves time must be backed by documented test results under advertising rules in {reg}.',
            'In {reg}, advertising law requires evidence on file before we claim that {P} saves time.',
          ],
          [
            'Comparative ads naming {C} must be factually verifiable and approved by legal before publishing about {P}.',
            'Legal must approve any ad for {P} that compares us to {C}, and every comparison must be verifiable.',
          ],
        ],
      },
      {
        id: 'endorsements',
        claims: [
          [
            'Influencer posts about {P} must disclose the paid relationship clearly, for example with #ad.',
            'Paid partners promoting {P} have to label their posts as advertising, e.g. #ad.',
          ],
          [
            'Customer testimonials for {P} may only be used with written consent and must reflect typical results.',
            'Testimonials about {P} need written permission and cannot present exceptional results as typical.',
          ],
        ],
      },
      {
        id: 'sector-rules',
        claims: [
          [
            'Selling {P} to {seg} in {reg} requires a signed data processing agreement before onboarding.',
            '{seg} in {reg} must sign a DPA before we onboard them onto {P}.',
          ],
          [
            'Export controls restrict the encryption features of {P} in some markets; check before quoting in {reg}.',
            'Before quoting {P} in {reg}, confirm the export-control rules on its encryption.',
          ],
        ],
      },
    ],
  },
  {
    id: 'data-privacy',
    weight: 0.7,
    types: [['CONSTRAINT', 1]],
    generalShare: 0.25,
    aspects: [
      {
        id: 'consent',
        claims: [
          [
            'Marketing emails about {P} may only go to contacts who opted in; pre-ticked boxes do not count.',
            'Marketing email for {P} requires explicit opt-in; pre-checked consent boxes are invalid.',
          ],
          [
            'Tracking cookies on the website of {P} need consent before they load for visitors from {reg}.',
            'Visitors from {reg} must accept cookies before any tracking loads on the pages of {P}.',
          ],
        ],
      },
      {
        id: 'retention',
        claims: [
          [
            'Customer data in {P} must be deleted within {n} days after the contract ends.',
            '{P} has to purge customer records no later than {n} days after a contract ends.',
          ],
          [
            'Support transcripts from {P} can be kept for at most {n} months.',
            'Retention of support conversations for {P} is capped at {n} months.',
          ],
        ],
      },
      {
        id: 'data-transfer',
        claims: [
          [
            'Personal data of customers of {P} in {reg} must stay in-region unless standard contractual clauses apply.',
            '{P} cannot move personal data from {reg} out of the region without standard contractual clauses.',
          ],
          [
            'Sub-processors used by {P} must be listed publicly {n} days before they start processing.',
            '{P} must publish any new sub-processor {n} days before it handles data.',
          ],
        ],
      },
    ],
  },
  {
    id: 'accessibility',
    weight: 0.6,
    types: [
      ['CONSTRAINT', 0.85],
      ['FINDING', 0.15],
    ],
    generalShare: 0.25,
    aspects: [
      {
        id: 'contrast',
        claims: [
          [
            'Text on marketing pages for {P} must meet a 4.5:1 contrast ratio.',
            'All page copy for {P} needs a contrast of at least 4.5 to 1 against its background.',
          ],
          [
            'Do not convey status in {P} with colour alone; add icons or labels.',
            'Interfaces of {P} must pair colour cues with text or icons.',
          ],
        ],
      },
      {
        id: 'media',
        claims: [
          [
            'Every image in content about {P} needs descriptive alt text.',
            'Alt text describing the image is mandatory for all visuals of {P}.',
          ],
          [
            'Videos about {P} must ship with captions and a transcript.',
            'Captions plus a transcript are required for any video about {P}.',
          ],
        ],
      },
      {
        id: 'page-structure',
        claims: [
          [
            'Pages for {P} must use a logical heading order and be fully keyboard navigable.',
            'Keyboard navigation and a sensible heading structure are required on the pages of {P}.',
          ],
          [
            "Link text in content about {P} must describe the destination; avoid 'click here'.",
            "Never use 'click here' in copy for {P}; links should say where they go.",
          ],
        ],
      },
    ],
  },
  {
    id: 'seo-keywords',
    weight: 0.8,
    types: [
      ['FINDING', 0.8],
      ['OBJECTIVE', 0.2],
    ],
    generalShare: 0,
    aspects: [
      {
        id: 'target-keywords',
        claims: [
          [
            "The primary search keyword for {P} is '{kw}', with about {n}k monthly searches.",
            "'{kw}' gets roughly {n}k searches a month and should be the main keyword of {P}.",
          ],
          [
            "Long-tail phrases like '{kw} for {seg}' convert {pct}% better for {P}.",
            "For {P}, long-tail queries such as '{kw} for {seg}' convert {pct}% better.",
          ],
        ],
      },
      {
        id: 'search-intent',
        claims: [
          [
            "People searching for '{kw}' mostly want comparisons, so pages for {P} should include a comparison table.",
            "The search intent behind '{kw}' is comparative; give {P} a comparison section.",
          ],
          [
            'How-to queries drive {pct}% of organic visits to content about {P}.',
            '{pct}% of the organic traffic of {P} comes from how-to searches.',
          ],
        ],
      },
      {
        id: 'backlinks',
        claims: [
          [
            '{P} has backlinks from {n} referring domains; {C} has about three times as many.',
            '{C} outranks {P} partly on links: {P} has {n} referring domains, they have triple.',
          ],
          [
            'Guest posts on industry blogs earned {P} {n} new backlinks last quarter.',
            "Last quarter's guest posting gave {P} {n} fresh backlinks.",
          ],
        ],
      },
    ],
  },
  {
    id: 'social-media',
    weight: 0.8,
    types: [
      ['FINDING', 0.7],
      ['OBJECTIVE', 0.3],
    ],
    generalShare: 0,
    aspects: [
      {
        id: 'channel-performance',
        claims: [
          [
            'Posts about {P} on {ch} get {pct}% higher engagement than on other channels.',
            'Engagement for {P} is {pct}% higher on {ch} than anywhere else.',
          ],
          ['Short demo videos of {P} drove {n}k views on {ch} last month.', 'Last month, demo clips of {P} on {ch} reached {n}k views.'],
        ],
      },
      {
        id: 'posting-cadence',
        claims: [
          [
            'Post about {P} on {ch} {n} times a week, ideally on Tuesday mornings.',
            'The best cadence for {P} on {ch} is {n} posts weekly, with Tuesday mornings performing best.',
          ],
          [
            'Engagement on posts about {P} drops after {n} posts a week because of audience fatigue.',
            'Beyond {n} weekly posts, content about {P} sees audience fatigue and falling engagement.',
          ],
        ],
      },
      {
        id: 'influencers',
        claims: [
          [
            'Three mid-size creators followed by {seg} agreed to review {P} on {ch}.',
            'We lined up three mid-tier creators popular with {seg} to cover {P} on {ch}.',
          ],
          [
            'Influencer discount codes for {P} produced a {pct}% conversion rate, better than paid ads.',
            'Creator discount codes for {P} converted at {pct}%, beating paid social.',
          ],
        ],
      },
    ],
  },
  {
    id: 'draft-content',
    weight: 1,
    types: [['OUTPUT', 1]],
    generalShare: 0,
    aspects: [
      {
        id: 'blog-post',
        claims: [
          [
            "Draft blog post 'How {seg} cut reporting time with {P}': intro and three sections written, conclusion pending.",
            'Blog draft ready for review: {seg} save hours on reporting thanks to {P}; the conclusion is still to write.',
          ],
          [
            'Draft of the launch announcement blog post for {P}, {n} words, covering setup, pricing and a customer story.',
            'First draft of the launch blog for {P} ({n} words): setup, plans and one customer story.',
          ],
        ],
      },
      {
        id: 'landing-page',
        claims: [
          [
            "Landing page copy for {P}: headline 'Your {cat}, ready in minutes', three benefit blocks and a free-trial button.",
            "Draft hero for the landing page of {P}: 'Your {cat}, ready in minutes', plus benefits and a trial call to action.",
          ],
          [
            'Draft landing page for {P} aimed at {seg}, including a pricing teaser and customer testimonials.',
            'Landing page draft for {P} targeting {seg}: a pricing preview and quotes from customers.',
          ],
        ],
      },
      {
        id: 'email',
        claims: [
          [
            "Draft launch email for {P}: subject line 'Meet {name}', {n} short paragraphs and a demo link.",
            "Email draft announcing {P} with the subject 'Meet {name}' and a link to book a demo.",
          ],
          [
            'Nurture email sequence for {P} drafted: {n} emails for trial users who have not activated yet.',
            'Drafted a {n}-step nurture email series to re-engage inactive trial users of {P}.',
          ],
        ],
      },
    ],
  },
  {
    id: 'review-feedback',
    weight: 0.9,
    types: [
      ['FINDING', 0.7],
      ['DECISION', 0.3],
    ],
    generalShare: 0,
    aspects: [
      {
        id: 'clarity',
        claims: [
          [
            'Review of the blog draft for {P}: the intro is too long and buries the main benefit.',
            'Feedback on the blog post about {P}: cut the introduction, the key benefit is hidden.',
          ],
          [
            "The landing page for {P} uses jargon like 'ETL orchestration'; rewrite it for {role}.",
            'Reviewer note: the landing copy of {P} is too technical for {role}; remove the jargon.',
          ],
        ],
      },
      {
        id: 'factual-accuracy',
        claims: [
          [
            'Fact check: the draft about {P} claims {pct}% time savings, but the study supports only half that.',
            'The {pct}% time-saving figure in the draft for {P} overstates the evidence about twofold.',
          ],
          [
            'The email draft for {P} lists a price that is out of date; use the current plan prices.',
            'Outdated pricing appears in the email about {P}; update it to the current plan prices.',
          ],
        ],
      },
      {
        id: 'brand-compliance',
        claims: [
          [
            "The draft about {P} calls the product 'revolutionary', which breaks the brand guidelines.",
            "Brand check failed on the draft for {P}: 'revolutionary' is banned wording.",
          ],
          [
            'Images in the landing page draft for {P} are missing alt text and use off-brand orange.',
            'Landing draft of {P}: add alt text to the images and swap the orange accents for the teal palette.',
          ],
        ],
      },
    ],
  },
  {
    id: 'launch-plan',
    weight: 0.9,
    types: [
      ['OBJECTIVE', 0.5],
      ['DECISION', 0.5],
    ],
    generalShare: 0,
    aspects: [
      {
        id: 'timeline',
        claims: [
          [
            '{P} launches publicly in {q}; the press embargo lifts at 9am on launch day.',
            'The public launch of {P} is set for {q}, with the press embargo ending at 9am that day.',
          ],
          [
            'The beta of {P} closes {n} weeks before launch so feedback can be folded in.',
            'The {P} beta ends {n} weeks ahead of the launch to leave time for fixes.',
          ],
        ],
      },
      {
        id: 'budget-and-channels',
        claims: [
          [
            'The launch budget for {P} is ${n}k, split mostly between {ch} ads and events.',
            'We have ${n}k for the launch of {P}, mainly for {ch} advertising and events.',
          ],
          [
            'The launch of {P} will open with a webinar for {seg}, followed by {ch} ads.',
            'First launch activity for {P}: a webinar for {seg}, then advertising on {ch}.',
          ],
        ],
      },
      {
        id: 'launch-risks',
        claims: [
          [
            'Launch risk: single sign-on for {P} may slip past {q}, and enterprise prospects expect it.',
            'If SSO for {P} slips beyond {q}, enterprise deals at launch are at risk.',
          ],
          [
            'The launch of {P} depends on legal sign-off of the comparison page against {C}.',
            'Legal approval of the comparison page against {C} is on the critical path for launching {P}.',
          ],
        ],
      },
    ],
  },
  {
    id: 'analytics-metrics',
    weight: 1,
    types: [
      ['FINDING', 0.8],
      ['SUMMARY', 0.2],
    ],
    generalShare: 0,
    aspects: [
      {
        id: 'conversion',
        claims: [
          [
            'Trial-to-paid conversion for {P} is {pct}%, up from last quarter.',
            '{pct}% of trials of {P} now convert to paid, better than last quarter.',
          ],
          [
            'The pricing page of {P} converts {pct}% of visitors who arrive from {ch}.',
            'Visitors arriving from {ch} convert at {pct}% on the pricing page of {P}.',
          ],
        ],
      },
      {
        id: 'traffic',
        claims: [
          [
            'Product pages of {P} had {n}k visits last month, {pct}% of them from organic search.',
            'Last month the pages of {P} drew {n}k visits; organic search supplied {pct}%.',
          ],
          [
            'Traffic to the documentation of {P} rose {pct}% after the tutorial series.',
            'The tutorial series lifted documentation traffic for {P} by {pct}%.',
          ],
        ],
      },
      {
        id: 'churn-retention',
        claims: [
          [
            'Monthly churn for {P} is {pct}% among {seg}, highest in the first {n} weeks.',
            '{seg} churn from {P} at {pct}% a month, mostly in the first {n} weeks.',
          ],
          [
            'Accounts that use the scheduled exports of {P} retain {pct}% better at 90 days.',
            'Using scheduled exports is linked to {pct}% better 90-day retention for {P}.',
          ],
        ],
      },
    ],
  },
];

/** A second sentence sometimes appended, by type (adds length and wording variety, no facet information). */
export const TRAILERS: Record<ContextType, string[]> = {
  FINDING: [
    'Based on {n} customer interviews.',
    'Source: the {q} survey.',
    'We will re-check this next quarter.',
    'Numbers from the CRM export.',
  ],
  CONSTRAINT: [
    'This is mandatory for every channel.',
    'Owner: the legal team.',
    'Applies from {q} onward.',
    'No exceptions without written approval.',
  ],
  OBJECTIVE: ['Target for {q}.', 'Owner: the marketing lead.', 'Tracked in the weekly sync.'],
  OUTPUT: ['Ready for review.', 'Comments welcome in the shared doc.', 'Version {n} of the draft.'],
  CONSENSUS: ['Agreed by all reviewers.'],
  SUMMARY: ['Summary of {n} sources.', 'Condensed from the research notes.', 'See the linked findings for details.'],
  DECISION: ['Approved by the leadership team.', 'Decided in the weekly sync.', 'Effective immediately.'],
};

export const OPENERS: Record<ContextType, string[]> = {
  FINDING: ['', '', 'Finding: ', 'Research note: ', 'Observation: '],
  CONSTRAINT: ['', '', 'Rule: ', 'Requirement: ', 'Policy: '],
  OBJECTIVE: ['', 'Goal: ', 'Objective: '],
  OUTPUT: ['', '', 'Deliverable: '],
  CONSENSUS: ['Consensus: '],
  SUMMARY: ['Summary: ', 'In short: ', ''],
  DECISION: ['Decision: ', 'Decided: ', ''],
};

export const LOW_CONFIDENCE_OPENERS = ['Unconfirmed rumour: ', 'Not yet verified: ', 'Anecdotal, single source: '];

export const MISC_TAGS = ['q3', 'wip', 'launch', 'customer-voice', 'internal', 'follow-up', 'weekly-sync'];

/** Dependency chains (finding → analysis → draft → review): facets as "topic/aspect", each step depends on the previous. */
export const CHAIN_TEMPLATES: string[][] = [
  ['market-research/pain-points', 'customer-personas/objections', 'draft-content/landing-page', 'review-feedback/clarity'],
  ['competitor-analysis/competitor-pricing', 'pricing/plans', 'draft-content/email', 'review-feedback/factual-accuracy'],
  ['product-features/capabilities', 'draft-content/blog-post', 'review-feedback/brand-compliance'],
  ['competitor-analysis/competitor-features', 'product-features/roadmap', 'launch-plan/launch-risks'],
  ['seo-keywords/target-keywords', 'draft-content/landing-page', 'review-feedback/clarity'],
  ['social-media/channel-performance', 'launch-plan/budget-and-channels'],
  ['analytics-metrics/churn-retention', 'pricing/discounts'],
  ['market-research/willingness-to-pay', 'pricing/plans', 'draft-content/landing-page'],
];

export interface AgentSpec {
  id: string;
  name: string;
  role: string;
  needs: string[];
  produces: string[];
  relevanceThreshold: number;
  tokenBudget: number;
}

export const AGENTS: AgentSpec[] = [
  {
    id: 'researcher',
    name: 'Researcher',
    role: 'market and customer research',
    needs: ['market-research', 'competitor-analysis', 'customer-personas'],
    produces: ['market-research', 'customer-personas'],
    relevanceThreshold: 0.3,
    tokenBudget: 4000,
  },
  {
    id: 'analyst',
    name: 'Analyst',
    role: 'competitive and commercial analysis',
    needs: ['market-research', 'pricing', 'analytics-metrics'],
    produces: ['competitor-analysis', 'pricing', 'analytics-metrics'],
    relevanceThreshold: 0.3,
    tokenBudget: 4000,
  },
  {
    id: 'product-manager',
    name: 'Product manager',
    role: 'product scope, roadmap and launch',
    needs: ['review-feedback', 'market-research', 'analytics-metrics', 'competitor-analysis'],
    produces: ['product-features', 'launch-plan'],
    relevanceThreshold: 0.3,
    tokenBudget: 4000,
  },
  {
    id: 'writer',
    name: 'Writer',
    role: 'writes blog posts, landing pages and emails',
    needs: ['brand-guidelines', 'customer-personas', 'product-features', 'seo-keywords', 'review-feedback'],
    produces: ['draft-content'],
    relevanceThreshold: 0.3,
    tokenBudget: 4000,
  },
  {
    id: 'reviewer',
    name: 'Reviewer',
    role: 'edits and fact-checks drafts',
    needs: ['draft-content', 'brand-guidelines', 'accessibility'],
    produces: ['review-feedback'],
    relevanceThreshold: 0.3,
    tokenBudget: 4000,
  },
  {
    id: 'legal',
    name: 'Legal',
    role: 'advertising law, privacy and compliance',
    needs: ['draft-content', 'regulations', 'data-privacy'],
    produces: ['regulations', 'data-privacy'],
    relevanceThreshold: 0.3,
    tokenBudget: 4000,
  },
  {
    id: 'marketing',
    name: 'Marketing',
    role: 'launch campaigns and social media',
    needs: ['launch-plan', 'social-media', 'competitor-analysis', 'analytics-metrics'],
    produces: ['social-media', 'launch-plan'],
    relevanceThreshold: 0.3,
    tokenBudget: 4000,
  },
  {
    id: 'seo',
    name: 'SEO specialist',
    role: 'search keywords and organic traffic',
    needs: ['seo-keywords', 'draft-content', 'analytics-metrics'],
    produces: ['seo-keywords'],
    relevanceThreshold: 0.3,
    tokenBudget: 4000,
  },
  {
    id: 'designer',
    name: 'Designer',
    role: 'visual identity and accessible assets',
    needs: ['brand-guidelines', 'accessibility', 'draft-content'],
    produces: ['brand-guidelines', 'accessibility'],
    relevanceThreshold: 0.3,
    tokenBudget: 4000,
  },
];

/**
 * Task templates: `answer` facets directly answer the task; `needed` facets are what the work must respect
 * or build on (constraints, and earlier drafts or feedback on the same deliverable). {P}/{name}/{cat} filled per query.
 */
export interface TaskTemplate {
  agentId: string;
  text: string;
  answer: string[];
  needed: string[];
}

export const TASK_TEMPLATES: TaskTemplate[] = [
  {
    agentId: 'researcher',
    text: 'Summarize the market size and growth outlook for {P}.',
    answer: ['market-research/market-size'],
    needed: [],
  },
  {
    agentId: 'researcher',
    text: 'What pain points and objections do prospective buyers of {P} raise?',
    answer: ['market-research/pain-points', 'customer-personas/objections'],
    needed: [],
  },
  {
    agentId: 'researcher',
    text: 'How do competitors position themselves against {name}, and which audiences are they targeting?',
    answer: ['competitor-analysis/competitor-positioning'],
    needed: [],
  },
  {
    agentId: 'analyst',
    text: 'Compare competitor prices with {P} and recommend the price of its Team plan.',
    answer: ['competitor-analysis/competitor-pricing', 'pricing/plans'],
    needed: [],
  },
  {
    agentId: 'analyst',
    text: 'What do trial conversion and churn look like for {P}?',
    answer: ['analytics-metrics/conversion', 'analytics-metrics/churn-retention'],
    needed: [],
  },
  {
    agentId: 'analyst',
    text: 'How much would customers be willing to pay for {P}?',
    answer: ['market-research/willingness-to-pay'],
    needed: [],
  },
  {
    agentId: 'product-manager',
    text: 'Which features does {P} lack compared with competitors, and what is on its roadmap?',
    answer: ['competitor-analysis/competitor-features', 'product-features/roadmap'],
    needed: [],
  },
  {
    agentId: 'product-manager',
    text: 'What risks and known issues could delay the launch of {P}?',
    answer: ['launch-plan/launch-risks', 'product-features/limitations'],
    needed: [],
  },
  {
    agentId: 'writer',
    text: 'Write the launch blog post for {P} highlighting its key capabilities.',
    answer: ['product-features/capabilities'],
    needed: ['brand-guidelines/tone-of-voice', 'regulations/advertising-claims', 'draft-content/blog-post'],
  },
  {
    agentId: 'writer',
    text: 'Draft landing page copy for {P} aimed at its main buyer persona.',
    answer: ['customer-personas/buyer-roles'],
    needed: ['brand-guidelines/naming', 'accessibility/page-structure', 'draft-content/landing-page'],
  },
  {
    agentId: 'writer',
    text: 'Write the email announcing the new pricing plans of {P}.',
    answer: ['pricing/plans', 'pricing/price-changes'],
    needed: ['data-privacy/consent', 'draft-content/email'],
  },
  {
    agentId: 'reviewer',
    text: 'Review the blog post draft about {P} for clarity, tone and factual accuracy.',
    answer: ['draft-content/blog-post'],
    needed: ['brand-guidelines/tone-of-voice', 'review-feedback/clarity', 'review-feedback/factual-accuracy'],
  },
  {
    agentId: 'reviewer',
    text: 'Check the landing page draft of {P} against the brand and accessibility rules.',
    answer: ['draft-content/landing-page'],
    needed: ['brand-guidelines/visual-identity', 'accessibility/media', 'review-feedback/brand-compliance'],
  },
  {
    agentId: 'legal',
    text: 'Check that the landing page copy for {P} complies with advertising law.',
    answer: ['draft-content/landing-page', 'regulations/advertising-claims'],
    needed: [],
  },
  {
    agentId: 'legal',
    text: 'What data protection obligations apply to customer data and marketing emails of {P}?',
    answer: ['data-privacy/retention', 'data-privacy/consent'],
    needed: [],
  },
  {
    agentId: 'legal',
    text: 'Can we run an influencer campaign for {P}? List the disclosure rules we must follow.',
    answer: ['regulations/endorsements', 'social-media/influencers'],
    needed: [],
  },
  {
    agentId: 'marketing',
    text: 'Plan the launch campaign for {P}: timeline, budget and channels.',
    answer: ['launch-plan/timeline', 'launch-plan/budget-and-channels'],
    needed: [],
  },
  {
    agentId: 'marketing',
    text: 'Which social channels and posting cadence work best for {P}?',
    answer: ['social-media/channel-performance', 'social-media/posting-cadence'],
    needed: [],
  },
  {
    agentId: 'seo',
    text: 'Pick the target search keywords for the landing page of {P}.',
    answer: ['seo-keywords/target-keywords', 'seo-keywords/search-intent'],
    needed: [],
  },
  {
    agentId: 'seo',
    text: 'How does the backlink profile of {P} compare with competitors?',
    answer: ['seo-keywords/backlinks'],
    needed: [],
  },
  {
    agentId: 'designer',
    text: 'Design the visual assets for the launch of {P}, respecting the logo and palette rules.',
    answer: ['brand-guidelines/visual-identity'],
    needed: ['accessibility/contrast', 'review-feedback/brand-compliance'],
  },
  {
    agentId: 'designer',
    text: 'Make the images and videos about {P} accessible.',
    answer: ['accessibility/media'],
    needed: ['brand-guidelines/visual-identity'],
  },
];
