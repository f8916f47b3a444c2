import TelemetryModel

/// The built-in reference data: the same JSON as `examples/reference/transactions.json` (a test
/// checks that they are equal), so the binary needs no file beside it.
extension TransactionReference {
    static let builtinJSON = #"""
{
  "currencies": [
    {
      "id": 1,
      "code": "USDT",
      "usd_rate": 1.0,
      "weight": 30
    },
    {
      "id": 2,
      "code": "CNY",
      "usd_rate": 0.1389,
      "weight": 20
    },
    {
      "id": 3,
      "code": "USD",
      "usd_rate": 1.0,
      "weight": 15
    },
    {
      "id": 4,
      "code": "BTC",
      "usd_rate": 91250.0,
      "weight": 5
    },
    {
      "id": 5,
      "code": "ETH",
      "usd_rate": 3120.0,
      "weight": 5
    },
    {
      "id": 6,
      "code": "EUR",
      "usd_rate": 1.0845,
      "weight": 10
    },
    {
      "id": 7,
      "code": "JPY",
      "usd_rate": 0.006667,
      "weight": 10
    },
    {
      "id": 8,
      "code": "GBP",
      "usd_rate": 1.2655,
      "weight": 5
    }
  ],
  "vendors": [
    {
      "id": 1,
      "code": "PRAGMATIC",
      "lines": 4,
      "categories": [
        1,
        2,
        5
      ],
      "weight": 25
    },
    {
      "id": 2,
      "code": "EVOLUTION",
      "lines": 3,
      "categories": [
        2,
        3
      ],
      "weight": 20
    },
    {
      "id": 3,
      "code": "NETENT",
      "lines": 2,
      "categories": [
        1,
        3
      ],
      "weight": 15
    },
    {
      "id": 4,
      "code": "MICROGAMING",
      "lines": 2,
      "categories": [
        1,
        3,
        4
      ],
      "weight": 10
    },
    {
      "id": 5,
      "code": "PLAYTECH",
      "lines": 3,
      "categories": [
        1,
        2,
        4
      ],
      "weight": 12
    },
    {
      "id": 6,
      "code": "EGT",
      "lines": 1,
      "categories": [
        1,
        6
      ],
      "weight": 8
    },
    {
      "id": 7,
      "code": "PLAYSON",
      "lines": 2,
      "categories": [
        1,
        5,
        6
      ],
      "weight": 10
    }
  ],
  "game_categories": [
    {
      "id": 1,
      "name": "slots",
      "rtp": 0.96,
      "max_multiplier": 5000,
      "win_chance": 0.3
    },
    {
      "id": 2,
      "name": "live_casino",
      "rtp": 0.985,
      "max_multiplier": 500,
      "win_chance": 0.45
    },
    {
      "id": 3,
      "name": "table_games",
      "rtp": 0.98,
      "max_multiplier": 35,
      "win_chance": 0.45
    },
    {
      "id": 4,
      "name": "sports",
      "rtp": 0.95,
      "max_multiplier": 1000,
      "win_chance": 0.4
    },
    {
      "id": 5,
      "name": "crash",
      "rtp": 0.97,
      "max_multiplier": 10000,
      "win_chance": 0.35
    },
    {
      "id": 6,
      "name": "fishing",
      "rtp": 0.95,
      "max_multiplier": 1000,
      "win_chance": 0.5
    }
  ],
  "agents": [
    {
      "agent_id": 10101,
      "master_agent_id": 101,
      "house_id": 1,
      "currency": "USDT",
      "weight": 5
    },
    {
      "agent_id": 10102,
      "master_agent_id": 101,
      "house_id": 1,
      "currency": "CNY",
      "weight": 3
    },
    {
      "agent_id": 10103,
      "master_agent_id": 101,
      "house_id": 1,
      "currency": "USD",
      "weight": 2
    },
    {
      "agent_id": 10104,
      "master_agent_id": 101,
      "house_id": 1,
      "currency": "EUR",
      "weight": 1
    },
    {
      "agent_id": 10105,
      "master_agent_id": 101,
      "house_id": 1,
      "currency": "JPY",
      "weight": 1
    },
    {
      "agent_id": 10201,
      "master_agent_id": 102,
      "house_id": 1,
      "currency": "GBP",
      "weight": 5
    },
    {
      "agent_id": 10202,
      "master_agent_id": 102,
      "house_id": 1,
      "currency": "BTC",
      "weight": 3
    },
    {
      "agent_id": 10203,
      "master_agent_id": 102,
      "house_id": 1,
      "currency": "ETH",
      "weight": 2
    },
    {
      "agent_id": 10204,
      "master_agent_id": 102,
      "house_id": 1,
      "currency": "USDT",
      "weight": 1
    },
    {
      "agent_id": 10205,
      "master_agent_id": 102,
      "house_id": 1,
      "currency": "CNY",
      "weight": 1
    },
    {
      "agent_id": 20101,
      "master_agent_id": 201,
      "house_id": 2,
      "currency": "USD",
      "weight": 5
    },
    {
      "agent_id": 20102,
      "master_agent_id": 201,
      "house_id": 2,
      "currency": "EUR",
      "weight": 3
    },
    {
      "agent_id": 20103,
      "master_agent_id": 201,
      "house_id": 2,
      "currency": "JPY",
      "weight": 2
    },
    {
      "agent_id": 20104,
      "master_agent_id": 201,
      "house_id": 2,
      "currency": "GBP",
      "weight": 1
    },
    {
      "agent_id": 20105,
      "master_agent_id": 201,
      "house_id": 2,
      "currency": "BTC",
      "weight": 1
    },
    {
      "agent_id": 20201,
      "master_agent_id": 202,
      "house_id": 2,
      "currency": "ETH",
      "weight": 5
    },
    {
      "agent_id": 20202,
      "master_agent_id": 202,
      "house_id": 2,
      "currency": "USDT",
      "weight": 3
    },
    {
      "agent_id": 20203,
      "master_agent_id": 202,
      "house_id": 2,
      "currency": "CNY",
      "weight": 2
    },
    {
      "agent_id": 20204,
      "master_agent_id": 202,
      "house_id": 2,
      "currency": "USD",
      "weight": 1
    },
    {
      "agent_id": 20205,
      "master_agent_id": 202,
      "house_id": 2,
      "currency": "EUR",
      "weight": 1
    },
    {
      "agent_id": 30101,
      "master_agent_id": 301,
      "house_id": 3,
      "currency": "JPY",
      "weight": 5
    },
    {
      "agent_id": 30102,
      "master_agent_id": 301,
      "house_id": 3,
      "currency": "GBP",
      "weight": 3
    },
    {
      "agent_id": 30103,
      "master_agent_id": 301,
      "house_id": 3,
      "currency": "BTC",
      "weight": 2
    },
    {
      "agent_id": 30104,
      "master_agent_id": 301,
      "house_id": 3,
      "currency": "ETH",
      "weight": 1
    },
    {
      "agent_id": 30105,
      "master_agent_id": 301,
      "house_id": 3,
      "currency": "USDT",
      "weight": 1
    },
    {
      "agent_id": 30201,
      "master_agent_id": 302,
      "house_id": 3,
      "currency": "CNY",
      "weight": 5
    },
    {
      "agent_id": 30202,
      "master_agent_id": 302,
      "house_id": 3,
      "currency": "USD",
      "weight": 3
    },
    {
      "agent_id": 30203,
      "master_agent_id": 302,
      "house_id": 3,
      "currency": "EUR",
      "weight": 2
    },
    {
      "agent_id": 30204,
      "master_agent_id": 302,
      "house_id": 3,
      "currency": "JPY",
      "weight": 1
    },
    {
      "agent_id": 30205,
      "master_agent_id": 302,
      "house_id": 3,
      "currency": "GBP",
      "weight": 1
    }
  ]
}
"""#
}
