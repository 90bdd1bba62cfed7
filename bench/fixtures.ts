/** A realistic room v10 invite (about 1.5 KB of event JSON) shared by the benchmarks. */
export const INVITE_EVENT = {
  auth_events: [
    '$oTgGL0b8nwHpnwSxYDFhIvWN4A61rT4GhC0S0vNKMxM',
    '$Oc8ePc4BKC5_vNZX1fcpC7Hp2_dNVbTzKY9c-wFy5JU',
    '$2qGSmPGqK_n3H9wpgtpW3QJ8Y3-WOwB8NBeR8Qtqbq0',
    '$Yq9VTu3w3wFvB2W9Pz2jMy8uHc9sC4wD0r6eKu2tC8M',
  ],
  content: {
    avatar_url: 'mxc://invitee.example/AbCdEfGhIjKlMnOpQrStUvWx',
    displayname: 'Bob the Builder 🛠️',
    is_direct: false,
    membership: 'invite',
    reason: 'Join us to discuss the federation roadmap and the next release of the invite library.',
  },
  depth: 1234,
  hashes: { sha256: 'yfN9Wq8cM0Ni9kHq7n0zjCzJg8iNS9U4s3oKq0Jq5kU' },
  origin: 'inviter.example',
  origin_server_ts: 1764288000000,
  prev_events: ['$hJ2i0gkQkLnBz7rJ1q_6o7i4dKq1QzFQp1tKDX0yD3c'],
  room_id: '!AbCdEfGhIjKlMnOp:inviter.example',
  sender: '@alice.wonderland:inviter.example',
  state_key: '@bob.builder:invitee.example',
  type: 'm.room.member',
  unsigned: {
    age: 42,
    invite_room_state: [
      {
        content: { name: 'Federation roadmap' },
        sender: '@alice.wonderland:inviter.example',
        state_key: '',
        type: 'm.room.name',
      },
      {
        content: { join_rule: 'invite' },
        sender: '@alice.wonderland:inviter.example',
        state_key: '',
        type: 'm.room.join_rules',
      },
      {
        content: {
          topic:
            'Planning the next steps for federated invites: canonical JSON, signatures and room versions.',
        },
        sender: '@alice.wonderland:inviter.example',
        state_key: '',
        type: 'm.room.topic',
      },
    ],
  },
  signatures: {
    'inviter.example': {
      'ed25519:a_Obwu':
        'jxT6ZmvPRuYWWZlVh4ALzCz9Il7kOGQWVbOmvtf2oO2XzJdJzv9eLFTldSWP7Qe0RrDhY7l3XQFtgymPDvCJDg',
    },
  },
};

export const INVITE_EVENT_TEXT = JSON.stringify(INVITE_EVENT);
