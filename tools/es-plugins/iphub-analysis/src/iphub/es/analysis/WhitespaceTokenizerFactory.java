package iphub.es.analysis;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.elasticsearch.plugin.NamedComponent;
import org.elasticsearch.plugin.analysis.TokenizerFactory;

/**
 * The {@code whitespace} tokenizer, which the integ-test-zip lacks (it lives in the
 * analysis-common module of the full distribution, not published on Maven Central).
 */
@NamedComponent("whitespace")
public class WhitespaceTokenizerFactory implements TokenizerFactory {
    @Override
    public Tokenizer create() {
        return new WhitespaceTokenizer();
    }
}
