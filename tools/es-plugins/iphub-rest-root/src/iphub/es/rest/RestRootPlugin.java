package iphub.es.rest;

import org.apache.lucene.util.Version;
import org.elasticsearch.Build;
import org.elasticsearch.action.admin.cluster.state.ClusterStateRequest;
import org.elasticsearch.action.admin.cluster.state.ClusterStateResponse;
import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.RestResponse;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.rest.action.RestBuilderListener;
import org.elasticsearch.xcontent.XContentBuilder;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Serves {@code GET /} and {@code HEAD /}, which the integ-test-zip lacks (they
 * live in the rest-root module of the full distribution). Clients call them:
 * the Python client's {@code ping()} and {@code info()} among others.
 */
public class RestRootPlugin extends Plugin implements ActionPlugin {
    @Override
    public Collection<RestHandler> getRestHandlers(
        RestHandlersServices services,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RootHandler(services.settings()));
    }

    static final class RootHandler extends BaseRestHandler {
        private final String nodeName;

        RootHandler(Settings settings) {
            this.nodeName = Node.NODE_NAME_SETTING.get(settings);
        }

        @Override
        public String getName() {
            return "iphub_rest_root";
        }

        @Override
        public List<Route> routes() {
            return List.of(new Route(RestRequest.Method.GET, "/"), new Route(RestRequest.Method.HEAD, "/"));
        }

        @Override
        protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
            ClusterStateRequest state = new ClusterStateRequest(TimeValue.timeValueSeconds(30)).clear().metadata(true);
            return channel -> client.admin().cluster().state(state, new RestBuilderListener<ClusterStateResponse>(channel) {
                @Override
                public RestResponse buildResponse(ClusterStateResponse response, XContentBuilder builder) throws Exception {
                    Build build = Build.current();
                    builder.startObject();
                    builder.field("name", nodeName);
                    builder.field("cluster_name", response.getClusterName().value());
                    builder.field("cluster_uuid", response.getState().metadata().clusterUUID());
                    builder.startObject("version");
                    builder.field("number", build.qualifiedVersion());
                    builder.field("build_flavor", build.flavor());
                    builder.field("build_type", build.type().displayName());
                    builder.field("build_hash", build.hash());
                    builder.field("build_date", build.date());
                    builder.field("build_snapshot", build.isSnapshot());
                    builder.field("lucene_version", Version.LATEST.toString());
                    builder.field("minimum_wire_compatibility_version", build.minWireCompatVersion());
                    builder.field("minimum_index_compatibility_version", build.minIndexCompatVersion());
                    builder.endObject();
                    builder.field("tagline", "You Know, for Search");
                    builder.endObject();
                    return new RestResponse(RestStatus.OK, builder);
                }
            });
        }
    }
}
