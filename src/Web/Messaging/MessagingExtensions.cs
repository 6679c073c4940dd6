using MassTransit;
using TradSys.Web.Auth;
using TradSys.Web.Hosting;
using TradSys.Web.Ordering;
using TradSys.Web.Ordering.Risk;

namespace TradSys.Web.Messaging;

/// <summary>MassTransit over RabbitMQ (production) or in memory (embedded), and the journal outbox.</summary>
public static class MessagingExtensions
{
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder)
    {
        var options = PlatformOptions.From(builder.Configuration);
        var cluster = Cluster.ClusterOptions.From(builder.Configuration).Enabled;
        var rabbit = builder.Configuration.GetSection("RabbitMq");
        builder.Services.AddMassTransit(x =>
        {
            // Every node must hear every revocation and every risk alert (its WebSocket clients' alerts channel): each consumer gets a
            // temporary queue of its own on each node (auto-deleted, non-durable), never the shared competing-consumer queue
            // ConfigureEndpoints would give it.
            x.AddConsumer<TokenRevokedConsumer>().ExcludeFromConfigureEndpoints();
            x.AddConsumer<RiskAlertRaisedConsumer>().ExcludeFromConfigureEndpoints();
            if (cluster)
            {
                // A cluster's nodes all stream what the writer's node commits (issue 17): its journal and its market data.
                x.AddConsumer<Portal.Services.JournalCommittedConsumer>().ExcludeFromConfigureEndpoints();
                x.AddConsumer<Streaming.MarketDataCommittedConsumer>().ExcludeFromConfigureEndpoints();
                x.AddConsumer<Streaming.MarketDataSnapshotRequestedConsumer>().ExcludeFromConfigureEndpoints();
            }
            if (options.Bus == BusTransport.RabbitMq)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(rabbit["Host"] ?? "127.0.0.1", rabbit.GetValue<ushort>("Port", 5672), rabbit["VirtualHost"] ?? "/", h =>
                    {
                        h.Username(rabbit["Username"] ?? "guest");
                        h.Password(rabbit["Password"] ?? "guest");
                    });
                    EveryNode(context, cfg, cluster);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) =>
                {
                    EveryNode(context, cfg, cluster);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });
        builder.Services.AddSingleton<RiskAlertFeed>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OutboxPublisher>());
        builder.Services.AddSingleton<MarketDataPublisher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MarketDataPublisher>());
        builder.Services.AddSingleton<Streaming.FollowedMarketData>();
        if (cluster)
        {
            builder.Services.AddHostedService<Streaming.MarketDataFollower>();
        }
        return builder;
    }

    /// <summary>The consumers every node runs on a temporary queue of its own.</summary>
    private static void EveryNode(IBusRegistrationContext context, IBusFactoryConfigurator cfg, bool cluster)
    {
        cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("tradsys-revocations"), KebabCaseEndpointNameFormatter.Instance,
            e => e.ConfigureConsumer<TokenRevokedConsumer>(context));
        cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("tradsys-risk-alerts"), KebabCaseEndpointNameFormatter.Instance,
            e => e.ConfigureConsumer<RiskAlertRaisedConsumer>(context));
        if (!cluster)
        {
            return;
        }
        // One message at a time on each: the journal and the market data are applied in the order the writer's node published them.
        cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("tradsys-journal"), KebabCaseEndpointNameFormatter.Instance, e =>
        {
            e.ConcurrentMessageLimit = 1;
            e.ConfigureConsumer<Portal.Services.JournalCommittedConsumer>(context);
        });
        cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("tradsys-market-data"), KebabCaseEndpointNameFormatter.Instance, e =>
        {
            e.ConcurrentMessageLimit = 1;
            e.ConfigureConsumer<Streaming.MarketDataCommittedConsumer>(context);
        });
        cfg.ReceiveEndpoint(new TemporaryEndpointDefinition("tradsys-market-data-requests"), KebabCaseEndpointNameFormatter.Instance,
            e => e.ConfigureConsumer<Streaming.MarketDataSnapshotRequestedConsumer>(context));
    }
}
