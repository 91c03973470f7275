import { graphql } from '../graphql/generated';

export const TeamDetailsDocument = graphql(`
  query TeamDetails($teamId: ID!) {
    team(id: $teamId) {
      id
      name
      personal
      viewerRole
      members(first: 100) {
        edges {
          node {
            userId
            email
            role
            joinedAt
          }
        }
      }
    }
  }
`);

export const TeamInvitationsDocument = graphql(`
  query TeamInvitations($teamId: ID!) {
    invitations(teamId: $teamId, first: 100) {
      edges {
        node {
          id
          email
          role
          status
          expiresAt
        }
      }
    }
  }
`);

export const TeamApiKeysDocument = graphql(`
  query TeamApiKeys($teamId: ID!) {
    apiKeys(teamId: $teamId, first: 100) {
      edges {
        node {
          id
          name
          prefix
          createdAt
          lastUsedAt
        }
      }
    }
  }
`);

export const InviteMemberDocument = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      id
      email
      status
    }
  }
`);

export const RevokeInvitationDocument = graphql(`
  mutation RevokeInvitation($input: RevokeInvitationInput!) {
    revokeInvitation(input: $input) {
      id
      status
    }
  }
`);

export const ChangeMemberRoleDocument = graphql(`
  mutation ChangeMemberRole($input: ChangeMemberRoleInput!) {
    changeMemberRole(input: $input) {
      userId
      role
    }
  }
`);

export const RemoveMemberDocument = graphql(`
  mutation RemoveMember($input: RemoveMemberInput!) {
    removeMember(input: $input) {
      id
    }
  }
`);

export const LeaveTeamDocument = graphql(`
  mutation LeaveTeam($input: LeaveTeamInput!) {
    leaveTeam(input: $input)
  }
`);

export const TransferOwnershipDocument = graphql(`
  mutation TransferOwnership($input: TransferOwnershipInput!) {
    transferOwnership(input: $input) {
      id
    }
  }
`);

export const CreateTeamDocument = graphql(`
  mutation CreateTeam($input: CreateTeamInput!) {
    createTeam(input: $input) {
      id
      name
    }
  }
`);

export const CreateApiKeyDocument = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      secret
      apiKey {
        id
        prefix
      }
    }
  }
`);

export const RevokeApiKeyDocument = graphql(`
  mutation RevokeApiKey($input: RevokeApiKeyInput!) {
    revokeApiKey(input: $input) {
      id
      revokedAt
    }
  }
`);

export const AcceptInvitationDocument = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      id
      name
    }
  }
`);
