import { graphql } from '../graphql/generated';

export const CreditPacksDocument = graphql(`
  query CreditPacks {
    billingConfigured
    creditPacks {
      id
      name
      credits
      amount
      currency
    }
  }
`);

export const PurchaseCreditsDocument = graphql(`
  mutation PurchaseCredits($input: PurchaseCreditsInput!) {
    purchaseCredits(input: $input) {
      id
      url
    }
  }
`);

export const PurchasesDocument = graphql(`
  query Purchases($teamId: ID!, $first: Int, $after: String) {
    purchases(teamId: $teamId, first: $first, after: $after) {
      edges {
        node {
          id
          createdAt
          pack
          credits
          amount
          currency
          status
          receiptUrl
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);

export const CreditLedgerDocument = graphql(`
  query CreditLedger($teamId: ID!, $first: Int, $after: String) {
    creditLedger(teamId: $teamId, first: $first, after: $after) {
      edges {
        node {
          id
          createdAt
          kind
          amount
          reference
          reason
        }
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`);

export const UsageDocument = graphql(`
  query Usage($teamId: ID!, $from: DateTime!, $to: DateTime!) {
    usage(teamId: $teamId, from: $from, to: $to) {
      day
      jobs
      credits
    }
  }
`);
