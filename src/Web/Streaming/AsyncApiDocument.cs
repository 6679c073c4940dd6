namespace TradSys.Web.Streaming;

/// <summary>
/// The AsyncAPI 3.0 document of <c>/ws</c>, served at <see cref="StreamingExtensions.AsyncApiPath"/>: its channels, every message
/// the server sends and the client may send, their JSON schemas, the two ways to pass the token. Keep it in step with
/// <see cref="StreamMessages"/> (a test checks every channel and server message type is named).
/// </summary>
public static class AsyncApiDocument
{
    /// <summary>The document as JSON.</summary>
    public const string Json = """
{
  "asyncapi": "3.0.0",
  "info": {
    "title": "TradSys real-time gateway",
    "version": "1.0.0",
    "description": "JSON over WebSockets at /ws, on every node of a cluster: market data, the public tape, the caller's order updates, portfolios and risk alerts, and order entry (order.new, order.amend, order.cancel) through the REST pipeline. Close codes: 1000 closed by the client (echoed); 1001 'server shutting down'; 1008 'token expired', 'token revoked' or 'slow consumer'; 1009 'message too big' (over 1 MiB). See docs/streaming.md."
  },
  "servers": {
    "local": {
      "host": "127.0.0.1:5080",
      "protocol": "ws",
      "pathname": "/ws",
      "security": [
        {
          "$ref": "#/components/securitySchemes/bearer"
        },
        {
          "$ref": "#/components/securitySchemes/queryToken"
        }
      ]
    }
  },
  "defaultContentType": "application/json",
  "channels": {
    "market_data": {
      "address": "/ws",
      "title": "market_data",
      "description": "Per symbol: level 1 and level 2, a snapshot then updates, each with the symbol's sequence.",
      "messages": {
        "snapshot": {
          "$ref": "#/components/messages/snapshot"
        },
        "update": {
          "$ref": "#/components/messages/update"
        }
      }
    },
    "trades": {
      "address": "/ws",
      "title": "trades",
      "description": "Per symbol: the public tape.",
      "messages": {
        "trade": {
          "$ref": "#/components/messages/trade"
        }
      }
    },
    "order_updates": {
      "address": "/ws",
      "title": "order_updates",
      "description": "The caller's own accounts (all accounts for the firm-wide read roles): every state change and fill in journal order.",
      "messages": {
        "order_update": {
          "$ref": "#/components/messages/order_update"
        }
      }
    },
    "portfolio": {
      "address": "/ws",
      "title": "portfolio",
      "description": "One of the caller's accounts (any account for the firm-wide read roles): its positions with P&L, cash and buying power, as GET /api/v1/positions?accountId= and GET /api/v1/accounts/{id}/cash compute them. The current state first, then the whole state again whenever it may have changed (an order update of the account, a trade in an instrument it holds, a deposit or withdrawal), at most every 250 ms (Streaming:PortfolioIntervalMilliseconds): each message replaces the last. On this node's feeds.",
      "messages": {
        "portfolio": {
          "$ref": "#/components/messages/portfolio"
        }
      }
    },
    "alerts": {
      "address": "/ws",
      "title": "alerts",
      "description": "Risk alerts on the caller's own accounts (all accounts for the firm-wide read roles), as the risk monitor raises them: Near (80 %), Breached (100 %), Cleared. Delivered to every node through the bus. Alerts raised while a client was not connected are read with GET /api/v1/risk/alerts, where they are acknowledged.",
      "messages": {
        "alert": {
          "$ref": "#/components/messages/alert"
        }
      }
    },
    "control": {
      "address": "/ws",
      "title": "control",
      "description": "Requests and answers on the same socket.",
      "messages": {
        "welcome": {
          "$ref": "#/components/messages/welcome"
        },
        "ack": {
          "$ref": "#/components/messages/ack"
        },
        "error": {
          "$ref": "#/components/messages/error"
        },
        "pong": {
          "$ref": "#/components/messages/pong"
        },
        "heartbeat": {
          "$ref": "#/components/messages/heartbeat"
        },
        "subscribe": {
          "$ref": "#/components/messages/subscribe"
        },
        "unsubscribe": {
          "$ref": "#/components/messages/unsubscribe"
        },
        "ping": {
          "$ref": "#/components/messages/ping"
        },
        "order_result": {
          "$ref": "#/components/messages/order_result"
        },
        "order.new": {
          "$ref": "#/components/messages/order.new"
        },
        "order.amend": {
          "$ref": "#/components/messages/order.amend"
        },
        "order.cancel": {
          "$ref": "#/components/messages/order.cancel"
        }
      }
    }
  },
  "operations": {
    "sendMarketData": {
      "action": "send",
      "channel": {
        "$ref": "#/channels/market_data"
      },
      "messages": [
        {
          "$ref": "#/channels/market_data/messages/snapshot"
        },
        {
          "$ref": "#/channels/market_data/messages/update"
        }
      ]
    },
    "sendTrades": {
      "action": "send",
      "channel": {
        "$ref": "#/channels/trades"
      },
      "messages": [
        {
          "$ref": "#/channels/trades/messages/trade"
        }
      ]
    },
    "sendOrderUpdates": {
      "action": "send",
      "channel": {
        "$ref": "#/channels/order_updates"
      },
      "messages": [
        {
          "$ref": "#/channels/order_updates/messages/order_update"
        }
      ]
    },
    "sendPortfolio": {
      "action": "send",
      "channel": {
        "$ref": "#/channels/portfolio"
      },
      "messages": [
        {
          "$ref": "#/channels/portfolio/messages/portfolio"
        }
      ]
    },
    "sendAlerts": {
      "action": "send",
      "channel": {
        "$ref": "#/channels/alerts"
      },
      "messages": [
        {
          "$ref": "#/channels/alerts/messages/alert"
        }
      ]
    },
    "sendControl": {
      "action": "send",
      "channel": {
        "$ref": "#/channels/control"
      },
      "messages": [
        {
          "$ref": "#/channels/control/messages/welcome"
        },
        {
          "$ref": "#/channels/control/messages/ack"
        },
        {
          "$ref": "#/channels/control/messages/error"
        },
        {
          "$ref": "#/channels/control/messages/pong"
        },
        {
          "$ref": "#/channels/control/messages/heartbeat"
        },
        {
          "$ref": "#/channels/control/messages/order_result"
        }
      ]
    },
    "receiveRequests": {
      "action": "receive",
      "channel": {
        "$ref": "#/channels/control"
      },
      "messages": [
        {
          "$ref": "#/channels/control/messages/subscribe"
        },
        {
          "$ref": "#/channels/control/messages/unsubscribe"
        },
        {
          "$ref": "#/channels/control/messages/ping"
        },
        {
          "$ref": "#/channels/control/messages/order.new"
        },
        {
          "$ref": "#/channels/control/messages/order.amend"
        },
        {
          "$ref": "#/channels/control/messages/order.cancel"
        }
      ]
    }
  },
  "components": {
    "schemas": {
      "level": {
        "type": "object",
        "properties": {
          "price": {
            "type": "number"
          },
          "quantity": {
            "type": "integer",
            "format": "int64"
          },
          "orders": {
            "type": "integer"
          }
        },
        "required": [
          "price",
          "quantity",
          "orders"
        ]
      },
      "quote": {
        "type": "object",
        "properties": {
          "bid": {
            "type": "number",
            "description": "absent: no bid"
          },
          "bidQuantity": {
            "type": "integer",
            "format": "int64"
          },
          "ask": {
            "type": "number",
            "description": "absent: no ask"
          },
          "askQuantity": {
            "type": "integer",
            "format": "int64"
          },
          "last": {
            "type": "number",
            "description": "absent: no trade today"
          },
          "lastQuantity": {
            "type": "integer",
            "format": "int64"
          },
          "volume": {
            "type": "integer",
            "format": "int64"
          },
          "trades": {
            "type": "integer",
            "format": "int64"
          },
          "vwap": {
            "type": "number"
          },
          "phase": {
            "type": "string",
            "description": "the venue's phase, or Suspended"
          },
          "indicativePrice": {
            "type": "number",
            "description": "during a call auction"
          },
          "indicativeVolume": {
            "type": "integer",
            "format": "int64"
          },
          "timestamp": {
            "type": "string",
            "format": "date-time"
          },
          "open": {
            "type": "number",
            "description": "the trading day's first trade price; absent: no trade today"
          },
          "high": {
            "type": "number",
            "description": "absent: no trade today"
          },
          "low": {
            "type": "number",
            "description": "absent: no trade today"
          },
          "turnover": {
            "type": "number",
            "description": "the day's traded value (price x quantity) in the instrument's currency; absent: no trade today"
          }
        },
        "required": [
          "bidQuantity",
          "askQuantity",
          "lastQuantity",
          "volume",
          "trades",
          "indicativeVolume",
          "timestamp"
        ]
      }
    },
    "messages": {
      "welcome": {
        "name": "welcome",
        "title": "welcome",
        "summary": "Sent once, first, after the upgrade.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "const": "welcome"
            },
            "user": {
              "type": "string"
            },
            "channels": {
              "type": "array",
              "items": {
                "type": "string"
              }
            },
            "heartbeatSeconds": {
              "type": "integer"
            },
            "maxMessageBytes": {
              "type": "integer"
            },
            "expiresAt": {
              "type": "string",
              "description": "when the access token expires: the connection is closed then (1008 'token expired')",
              "format": "date-time"
            }
          },
          "required": [
            "type",
            "user",
            "channels",
            "heartbeatSeconds",
            "maxMessageBytes",
            "expiresAt"
          ]
        }
      },
      "ack": {
        "name": "ack",
        "title": "ack",
        "summary": "A subscribe or unsubscribe carried out.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "const": "ack"
            },
            "id": {
              "description": "The id of the client message this answers (echoed as sent: a string or a number).",
              "oneOf": [
                {
                  "type": "string"
                },
                {
                  "type": "number"
                }
              ]
            },
            "op": {
              "type": "string",
              "enum": [
                "subscribe",
                "unsubscribe"
              ]
            },
            "channel": {
              "type": "string",
              "enum": [
                "market_data",
                "trades",
                "order_updates",
                "portfolio",
                "alerts"
              ]
            },
            "symbol": {
              "type": "string"
            },
            "accountId": {
              "type": "integer",
              "format": "int64"
            },
            "accounts": {
              "type": "array",
              "items": {
                "type": "integer",
                "format": "int64"
              },
              "description": "order_updates or alerts without accountId: the accounts covered (absent: every account, for the firm-wide read roles)"
            }
          },
          "required": [
            "type",
            "op",
            "channel"
          ]
        }
      },
      "error": {
        "name": "error",
        "title": "error",
        "summary": "What was wrong with a client message (the connection stays open), or why the server is about to close it.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "const": "error"
            },
            "id": {
              "description": "The id of the client message this answers (echoed as sent: a string or a number).",
              "oneOf": [
                {
                  "type": "string"
                },
                {
                  "type": "number"
                }
              ]
            },
            "code": {
              "type": "string",
              "enum": [
                "malformed_json",
                "invalid_message",
                "unknown_op",
                "unknown_channel",
                "unknown_symbol",
                "account_not_yours",
                "unknown_account",
                "not_subscribed",
                "not_on_this_node",
                "message_too_large",
                "binary_not_supported",
                "token_expired",
                "token_revoked",
                "server_shutdown"
              ]
            },
            "message": {
              "type": "string",
              "description": "what is wrong and where"
            },
            "errors": {
              "type": "array",
              "items": {
                "type": "object",
                "properties": {
                  "field": {
                    "type": "string"
                  },
                  "message": {
                    "type": "string"
                  }
                },
                "required": [
                  "field",
                  "message"
                ]
              },
              "description": "every field's problem"
            }
          },
          "required": [
            "type",
            "code",
            "message"
          ]
        }
      },
      "pong": {
        "name": "pong",
        "title": "pong",
        "summary": "The answer to a ping.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "const": "pong"
            },
            "id": {
              "description": "The id of the client message this answers (echoed as sent: a string or a number).",
              "oneOf": [
                {
                  "type": "string"
                },
                {
                  "type": "number"
                }
              ]
            },
            "time": {
              "type": "string",
              "format": "date-time"
            }
          },
          "required": [
            "type",
            "time"
          ]
        }
      },
      "heartbeat": {
        "name": "heartbeat",
        "title": "heartbeat",
        "summary": "Sent every heartbeatSeconds.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "const": "heartbeat"
            },
            "time": {
              "type": "string",
              "format": "date-time"
            }
          },
          "required": [
            "type",
            "time"
          ]
        }
      },
      "snapshot": {
        "name": "snapshot",
        "title": "snapshot",
        "summary": "market_data: the top of the book (up to 10 levels a side) and level 1 at a sequence; first after a subscribe, and again with conflated true when a slow client's updates were skipped.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "const": "snapshot"
            },
            "channel": {
              "type": "string",
              "const": "market_data"
            },
            "symbol": {
              "type": "string"
            },
            "sequence": {
              "type": "integer",
              "format": "int64",
              "description": "the symbol's market-data sequence; apply updates with a greater one"
            },
            "conflated": {
              "type": "boolean",
              "description": "true: sent instead of updates the client was too slow for (the latest state, not the backlog)"
            },
            "bids": {
              "type": "array",
              "items": {
                "$ref": "#/components/schemas/level"
              }
            },
            "asks": {
              "type": "array",
              "items": {
                "$ref": "#/components/schemas/level"
              }
            },
            "quote": {
              "$ref": "#/components/schemas/quote"
            }
          },
          "required": [
            "type",
            "channel",
            "symbol",
            "sequence",
            "conflated",
            "bids",
            "asks",
            "quote"
          ]
        }
      },
      "update": {
        "name": "update",
        "title": "update",
        "summary": "market_data: a symbol's changes at sequence (the previous sequence plus one: on a gap, subscribe again for a new snapshot).",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "const": "update"
            },
            "channel": {
              "type": "string",
              "const": "market_data"
            },
            "symbol": {
              "type": "string"
            },
            "sequence": {
              "type": "integer",
              "format": "int64"
            },
            "bids": {
              "type": "array",
              "description": "Changed levels: each its new total (quantity 0: the level is gone).",
              "items": {
                "$ref": "#/components/schemas/level"
              }
            },
            "asks": {
              "type": "array",
              "description": "Changed levels: each its new total (quantity 0: the level is gone).",
              "items": {
                "$ref": "#/components/schemas/level"
              }
            },
            "quote": {
              "$ref": "#/components/schemas/quote"
            },
            "timestamp": {
              "type": "string",
              "format": "date-time"
            }
          },
          "required": [
            "type",
            "channel",
            "symbol",
            "sequence",
            "bids",
            "asks",
            "quote",
            "timestamp"
          ]
        }
      },
      "trade": {
        "name": "trade",
        "title": "trade",
        "summary": "trades: one trade of the public tape (no accounts, no orders).",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "const": "trade"
            },
            "channel": {
              "type": "string",
              "const": "trades"
            },
            "symbol": {
              "type": "string"
            },
            "tradeId": {
              "type": "integer",
              "format": "int64",
              "description": "increasing"
            },
            "price": {
              "type": "number"
            },
            "quantity": {
              "type": "integer",
              "format": "int64"
            },
            "currency": {
              "type": "string"
            },
            "aggressorSide": {
              "type": "string"
            },
            "executedAt": {
              "type": "string",
              "format": "date-time"
            }
          },
          "required": [
            "type",
            "channel",
            "symbol",
            "tradeId",
            "price",
            "quantity",
            "currency",
            "aggressorSide",
            "executedAt"
          ]
        }
      },
      "order_update": {
        "name": "order_update",
        "title": "order_update",
        "summary": "order_updates: one journal entry (state change or fill) of an order on one of the caller's accounts, in journal order.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "const": "order_update"
            },
            "channel": {
              "type": "string",
              "const": "order_updates"
            },
            "sequence": {
              "type": "integer",
              "format": "int64",
              "description": "the journal sequence"
            },
            "orderId": {
              "type": "integer",
              "format": "int64"
            },
            "clientOrderId": {
              "type": "string"
            },
            "accountId": {
              "type": "integer",
              "format": "int64"
            },
            "symbol": {
              "type": "string"
            },
            "side": {
              "type": "string"
            },
            "kind": {
              "type": "string",
              "description": "the journal entry's kind: Accepted, Filled, Canceled, ..."
            },
            "status": {
              "type": "string"
            },
            "price": {
              "type": "number"
            },
            "quantity": {
              "type": "integer",
              "format": "int64"
            },
            "filledQuantity": {
              "type": "integer",
              "format": "int64"
            },
            "leavesQuantity": {
              "type": "integer",
              "format": "int64"
            },
            "tradeId": {
              "type": "integer",
              "format": "int64"
            },
            "fillPrice": {
              "type": "number"
            },
            "fillQuantity": {
              "type": "integer",
              "format": "int64"
            },
            "reason": {
              "type": "string"
            },
            "timestamp": {
              "type": "string",
              "format": "date-time"
            }
          },
          "required": [
            "type",
            "channel",
            "sequence",
            "orderId",
            "clientOrderId",
            "accountId",
            "symbol",
            "side",
            "kind",
            "status",
            "quantity",
            "filledQuantity",
            "leavesQuantity",
            "timestamp"
          ]
        }
      },
      "portfolio": {
        "name": "portfolio",
        "title": "portfolio",
        "summary": "portfolio: one account's positions with P&L, cash and buying power, whole (each message replaces the last).",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "const": "portfolio"
            },
            "channel": {
              "type": "string",
              "const": "portfolio"
            },
            "accountId": {
              "type": "integer",
              "format": "int64"
            },
            "journalSequence": {
              "type": "integer",
              "format": "int64",
              "description": "every journal entry up to this sequence is reflected"
            },
            "positions": {
              "type": "array",
              "items": {
                "type": "object",
                "description": "As GET /api/v1/positions: one instrument the account has traded, in its currency",
                "properties": {
                  "accountId": {
                    "type": "integer",
                    "format": "int64"
                  },
                  "symbol": {
                    "type": "string"
                  },
                  "currency": {
                    "type": "string"
                  },
                  "quantity": {
                    "type": "integer",
                    "format": "int64",
                    "description": "net shares, negative when short"
                  },
                  "averageCost": {
                    "type": "number",
                    "description": "weighted average cost of the open position; absent when flat"
                  },
                  "realisedPnl": {
                    "type": "number"
                  },
                  "price": {
                    "type": "number",
                    "description": "the price the position is valued at"
                  },
                  "priceSource": {
                    "type": "string",
                    "enum": [
                      "Last",
                      "Reference"
                    ]
                  },
                  "marketValue": {
                    "type": "number"
                  },
                  "unrealisedPnl": {
                    "type": "number"
                  },
                  "trades": {
                    "type": "integer",
                    "description": "the account trades in the instrument the figures come from"
                  }
                },
                "required": [
                  "accountId",
                  "symbol",
                  "currency",
                  "quantity",
                  "realisedPnl",
                  "price",
                  "priceSource",
                  "marketValue",
                  "unrealisedPnl",
                  "trades"
                ]
              }
            },
            "cash": {
              "type": "object",
              "description": "As GET /api/v1/accounts/{id}/cash: each currency, and in the base currency the cash, what open buys reserve, the credit line and the buying power (cash and buyingPower absent, with problem, when a currency held has no FX rate)",
              "properties": {
                "accountId": {
                  "type": "integer",
                  "format": "int64"
                },
                "baseCurrency": {
                  "type": "string"
                },
                "currencies": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "properties": {
                      "currency": {
                        "type": "string"
                      },
                      "available": {
                        "type": "number"
                      },
                      "settled": {
                        "type": "number"
                      },
                      "unsettled": {
                        "type": "array",
                        "items": {
                          "type": "object",
                          "properties": {
                            "settlesOn": {
                              "type": "string",
                              "format": "date"
                            },
                            "venue": {
                              "type": "string"
                            },
                            "amount": {
                              "type": "number"
                            }
                          }
                        }
                      }
                    }
                  }
                },
                "cash": {
                  "type": "number"
                },
                "reserved": {
                  "type": "number"
                },
                "reservingOrders": {
                  "type": "integer"
                },
                "creditLine": {
                  "type": "number"
                },
                "buyingPower": {
                  "type": "number"
                },
                "problem": {
                  "type": "string"
                }
              },
              "required": [
                "accountId",
                "baseCurrency",
                "currencies",
                "reservingOrders",
                "creditLine"
              ]
            },
            "timestamp": {
              "type": "string",
              "format": "date-time"
            }
          },
          "required": [
            "type",
            "channel",
            "accountId",
            "journalSequence",
            "positions",
            "cash",
            "timestamp"
          ]
        }
      },
      "alert": {
        "name": "alert",
        "title": "alert",
        "summary": "alerts: a risk limit's utilisation crossed a level for one of the caller's accounts.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "const": "alert"
            },
            "channel": {
              "type": "string",
              "const": "alerts"
            },
            "alertId": {
              "type": "integer",
              "format": "int64",
              "description": "the alert's id in GET /api/v1/risk/alerts (acknowledge it there)"
            },
            "accountId": {
              "type": "integer",
              "format": "int64"
            },
            "limit": {
              "type": "string",
              "description": "the limit: MaxLongPosition, MaxOpenNotional, BuyingPower, ..."
            },
            "symbol": {
              "type": "string",
              "description": "for a per-instrument limit"
            },
            "scope": {
              "type": "string",
              "description": "where the limit is set: firm, category, account or instrument"
            },
            "level": {
              "type": "string",
              "enum": [
                "Near",
                "Breached",
                "Cleared"
              ]
            },
            "limitValue": {
              "type": "number"
            },
            "used": {
              "type": "number"
            },
            "unit": {
              "type": "string"
            },
            "utilisationPct": {
              "type": "number"
            },
            "message": {
              "type": "string",
              "description": "the alert in words, naming the limit, its value and what is used"
            },
            "raisedAt": {
              "type": "string",
              "format": "date-time"
            }
          },
          "required": [
            "type",
            "channel",
            "alertId",
            "accountId",
            "limit",
            "scope",
            "level",
            "limitValue",
            "used",
            "unit",
            "message",
            "raisedAt"
          ]
        }
      },
      "subscribe": {
        "name": "subscribe",
        "title": "subscribe",
        "summary": "Client: subscribe to a channel (again for market_data: a new snapshot).",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "op": {
              "type": "string",
              "const": "subscribe"
            },
            "channel": {
              "type": "string",
              "enum": [
                "market_data",
                "trades",
                "order_updates",
                "portfolio",
                "alerts"
              ]
            },
            "symbol": {
              "type": "string",
              "description": "required for market_data and trades"
            },
            "accountId": {
              "type": "integer",
              "format": "int64",
              "description": "order_updates and alerts: one account (absent: all yours); portfolio: required, one account"
            },
            "fromSequence": {
              "type": "integer",
              "format": "int64",
              "description": "order_updates only: the last journal sequence you saw; every later update of the subscribed accounts is sent from the journal first, then the live ones, without duplicates"
            },
            "id": {
              "description": "The id of the client message this answers (echoed as sent: a string or a number).",
              "oneOf": [
                {
                  "type": "string"
                },
                {
                  "type": "number"
                }
              ]
            }
          },
          "required": [
            "op",
            "channel"
          ]
        }
      },
      "unsubscribe": {
        "name": "unsubscribe",
        "title": "unsubscribe",
        "summary": "Client: stop a subscription.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "op": {
              "type": "string",
              "const": "unsubscribe"
            },
            "channel": {
              "type": "string",
              "enum": [
                "market_data",
                "trades",
                "order_updates",
                "portfolio",
                "alerts"
              ]
            },
            "symbol": {
              "type": "string"
            },
            "accountId": {
              "type": "integer",
              "format": "int64"
            },
            "id": {
              "description": "The id of the client message this answers (echoed as sent: a string or a number).",
              "oneOf": [
                {
                  "type": "string"
                },
                {
                  "type": "number"
                }
              ]
            }
          },
          "required": [
            "op",
            "channel"
          ]
        }
      },
      "ping": {
        "name": "ping",
        "title": "ping",
        "summary": "Client: answered with pong.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "op": {
              "type": "string",
              "const": "ping"
            },
            "id": {
              "description": "The id of the client message this answers (echoed as sent: a string or a number).",
              "oneOf": [
                {
                  "type": "string"
                },
                {
                  "type": "number"
                }
              ]
            }
          },
          "required": [
            "op"
          ]
        }
      },
      "order_result": {
        "name": "order_result",
        "title": "order_result",
        "summary": "The answer to order.new, order.amend or order.cancel: REST's own answer to POST /api/v1/orders, PATCH /api/v1/orders/{id} or DELETE /api/v1/orders/{id} with the connection's token (the same authorization, throttle, validation and stages), one at a time per connection in the order sent.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "type": {
              "type": "string",
              "const": "order_result"
            },
            "id": {
              "description": "The id of the client message this answers (echoed as sent: a string or a number).",
              "oneOf": [
                {
                  "type": "string"
                },
                {
                  "type": "number"
                }
              ]
            },
            "op": {
              "type": "string",
              "enum": [
                "order.new",
                "order.amend",
                "order.cancel"
              ]
            },
            "status": {
              "type": "integer",
              "description": "REST's HTTP status: 201 created, 200 (an amend, a cancel, or a resent order with the same terms), 202 (sent on to an exchange), 400 with every field's problem, 403, 404, 409, 422, 429, 503 'not carried out'."
            },
            "retryAfter": {
              "type": "integer",
              "description": "Seconds, when REST sent Retry-After (429, 503)."
            },
            "body": {
              "type": "object",
              "description": "REST's JSON body: the order (OrderResponse in /openapi/v1.json) or RFC 7807 problem details."
            },
            "replayed": {
              "type": "boolean",
              "const": true,
              "description": "Present on an order.amend whose idempotencyKey the order's last amendment carried: it was carried out already, and body is the order as it stands (REST's Idempotent-Replayed)."
            }
          },
          "required": [
            "type",
            "op",
            "status"
          ]
        }
      },
      "order.new": {
        "name": "order.new",
        "title": "order.new",
        "summary": "Client: enter an order; answered with order_result. Its updates come on order_updates like any order's.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "op": {
              "type": "string",
              "const": "order.new"
            },
            "id": {
              "description": "The id of the client message this answers (echoed as sent: a string or a number).",
              "oneOf": [
                {
                  "type": "string"
                },
                {
                  "type": "number"
                }
              ]
            },
            "order": {
              "type": "object",
              "description": "The body of POST /api/v1/orders (SubmitOrderRequest in /openapi/v1.json)."
            }
          },
          "required": [
            "op",
            "order"
          ],
          "additionalProperties": false
        }
      },
      "order.amend": {
        "name": "order.amend",
        "title": "order.amend",
        "summary": "Client: amend an order; answered with order_result.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "op": {
              "type": "string",
              "const": "order.amend"
            },
            "id": {
              "description": "The id of the client message this answers (echoed as sent: a string or a number).",
              "oneOf": [
                {
                  "type": "string"
                },
                {
                  "type": "number"
                }
              ]
            },
            "orderId": {
              "type": "integer",
              "minimum": 1
            },
            "amend": {
              "type": "object",
              "description": "The body of PATCH /api/v1/orders/{id} (AmendOrderRequest in /openapi/v1.json)."
            },
            "idempotencyKey": {
              "type": "string",
              "minLength": 1,
              "maxLength": 64,
              "description": "REST's Idempotency-Key (visible ASCII): the same amendment sent again with the same key after it was carried out (an answer lost with the connection) is answered with the order as it stands and replayed: true, and changes nothing."
            }
          },
          "required": [
            "op",
            "orderId",
            "amend"
          ],
          "additionalProperties": false
        }
      },
      "order.cancel": {
        "name": "order.cancel",
        "title": "order.cancel",
        "summary": "Client: cancel an order; answered with order_result.",
        "contentType": "application/json",
        "payload": {
          "type": "object",
          "properties": {
            "op": {
              "type": "string",
              "const": "order.cancel"
            },
            "id": {
              "description": "The id of the client message this answers (echoed as sent: a string or a number).",
              "oneOf": [
                {
                  "type": "string"
                },
                {
                  "type": "number"
                }
              ]
            },
            "orderId": {
              "type": "integer",
              "minimum": 1
            }
          },
          "required": [
            "op",
            "orderId"
          ],
          "additionalProperties": false
        }
      }
    },
    "securitySchemes": {
      "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "The REST access token (POST /connect/token) in 'Authorization: Bearer' on the upgrade request."
      },
      "queryToken": {
        "type": "httpApiKey",
        "name": "access_token",
        "in": "query",
        "description": "For browsers, which cannot set headers on a WebSocket: /ws?access_token=..."
      }
    }
  }
}
""";
}
