package dev.journey.api.delivery;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.journey.worker.channel.ChannelStore;
import dev.journey.worker.db.Sql;
import dev.journey.worker.message.DeliverySettingsStore;
import dev.journey.worker.message.MessageStore;
import dev.journey.worker.message.ProjectTemplates;
import io.agroal.api.AgroalDataSource;

/**
 * The worker's stores of channels, messages, delivery settings and templates, over the API's pool:
 * a connection taken inside a {@code @Transactional} method joins that transaction.
 */
public class DeliveryStores {
    @Produces
    @Singleton
    ChannelStore channels(AgroalDataSource db) {
        return new ChannelStore(new Sql(db));
    }

    @Produces
    @Singleton
    MessageStore messages(AgroalDataSource db) {
        return new MessageStore(new Sql(db));
    }

    @Produces
    @Singleton
    DeliverySettingsStore deliverySettings(AgroalDataSource db) {
        return new DeliverySettingsStore(new Sql(db));
    }

    @Produces
    @Singleton
    ProjectTemplates projectTemplates(AgroalDataSource db) {
        return new ProjectTemplates(new Sql(db));
    }
}
