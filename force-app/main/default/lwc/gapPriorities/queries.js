/**
 * The GraphQL documents of gap priorities. Every connection sets `first`.
 */
import { gql } from 'lightning/graphql';

/** App page: every touchpoint, the touchpoint-scope snapshots and the open follow-up Tasks. */
export const ORG_QUERY = gql`
  query gapPrioritiesOrg($fromPeriod: String) {
    uiapi {
      query {
        CX_Touchpoint__c(first: 200, orderBy: { Name: { order: ASC } }) {
          edges {
            node {
              Id
              Name {
                value
              }
              Key__c {
                value
              }
              Importance_Weight__c {
                value
              }
              Process_Owner__r {
                Name {
                  value
                }
              }
            }
          }
        }
        CX_Score__c(
          where: { Scope__c: { eq: "Touchpoint" }, Period__c: { gte: $fromPeriod } }
          orderBy: { Period__c: { order: DESC } }
          first: 600
        ) {
          edges {
            node {
              Id
              Period__c {
                value
              }
              Touchpoint__c {
                value
              }
              Statistics__c {
                value
              }
              Settings__c {
                value
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
        Task(
          where: { CX_Touchpoint__c: { ne: null }, IsClosed: { eq: false } }
          orderBy: { ActivityDate: { order: ASC } }
          first: 200
        ) {
          edges {
            node {
              Id
              Subject {
                value
              }
              ActivityDate {
                value
              }
              Status {
                value
              }
              CX_Touchpoint__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;

/** Touchpoint record page: the touchpoint, its snapshots and its open follow-up Tasks. */
export const TOUCHPOINT_QUERY = gql`
  query gapPrioritiesTouchpoint($recordId: ID, $fromPeriod: String) {
    uiapi {
      query {
        CX_Touchpoint__c(where: { Id: { eq: $recordId } }, first: 1) {
          edges {
            node {
              Id
              Name {
                value
              }
              Key__c {
                value
              }
              Importance_Weight__c {
                value
              }
              Process_Owner__r {
                Name {
                  value
                }
              }
            }
          }
        }
        CX_Score__c(
          where: {
            Touchpoint__c: { eq: $recordId }
            Scope__c: { eq: "Touchpoint" }
            Period__c: { gte: $fromPeriod }
          }
          orderBy: { Period__c: { order: DESC } }
          first: 13
        ) {
          edges {
            node {
              Id
              Period__c {
                value
              }
              Touchpoint__c {
                value
              }
              Statistics__c {
                value
              }
              Settings__c {
                value
              }
            }
          }
          pageInfo {
            hasNextPage
          }
        }
        Task(
          where: { CX_Touchpoint__c: { eq: $recordId }, IsClosed: { eq: false } }
          orderBy: { ActivityDate: { order: ASC } }
          first: 50
        ) {
          edges {
            node {
              Id
              Subject {
                value
              }
              ActivityDate {
                value
              }
              Status {
                value
              }
              CX_Touchpoint__c {
                value
              }
            }
          }
        }
      }
    }
  }
`;
