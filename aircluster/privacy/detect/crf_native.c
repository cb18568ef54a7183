/* The name tagger's tag() in C (tagger.NameTagger.tag on its compiled path): the tokenizer, a cache of each
 * distinct word's facts and feature ids, the per-text preparation, and the CRF inference: state scores,
 * Viterbi labels and the marginal of each label (forward-backward) for each window of tokens.
 *
 * Model holds the weights, which Python (tagger.py) reads once from the model file with every attribute
 * string mapped to a dense id, and a hash table of those strings. Tagger (at the end) holds a Model, the word
 * lists and the word cache, and tags a text; Model.tag scores one window of packed words given by the caller
 * (the tests check the CRF's arithmetic through it). The per-token work that used to be Python building
 * feature strings (tagger.position_features: conjunctions with the neighbours, position flags), handing them to
 * CRFsuite and CRFsuite's own scoring is done on ids here; conjunctions of two or three words' strings are
 * looked up in the hash table. The arithmetic follows CRFsuite's first-order CRF (crf1d) step by step, so labels
 * are the same and marginals equal to rounding:
 *   - a feature's value is 1.0, a state score is the sum of its attributes' weights in item order;
 *   - Viterbi keeps the first best on ties (strict "<");
 *   - forward and backward scores are scaled per position by 1/sum, marginal = alpha*beta/scale.
 *
 * Packed word (bytes, native order; pack_word builds it for the Tagger's cache): HEADER int32s, the ids the first five count, then UTF-8 text:
 *   [n_own, n_prev1, n_prev2, n_next1, n_next2,        counts of the five id lists
 *    ls_sh, ss_sh, ss_lx, lowerdoc_lx, glued,          ids of "ls|sh=<shape>", "ss|sh=<shape>",
 *                                                      "ss|lx=<flags>", "lowerdoc|lx=<flags>", "glued+=<low>"
 *    len_low, len_shape,                               bytes of the two strings at the end
 *    own..., prev1..., prev2..., next1..., next2...,   int32 ids
 *    low, shape]                                       UTF-8 (surrogatepass), no terminator
 * "prev1" are the features a word gives the word after it ("w-1=anna"), "next1" the word before it.
 *
 * Per token of the text (bytes, one each): KIND bits of the word (for the padded list: two edges
 * either side), and MARK bits of the token in its text.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define NPARTS 5 /* own, prev1, prev2, next1, next2 */
#define HEADER 12
enum { OWN = 0, PREV1 = 1, PREV2 = 2, NEXT1 = 3, NEXT2 = 4 };
enum { LS_SH, SS_SH, SS_LX, LOWERDOC_LX, GLUED, NSINGLE }; /* the per-word ids after the counts */
/* KIND bits (tagger.py _Word.kind; an edge before or after the text is a break) and MARK bits
 * (Tagger_tag: glued to the next token, its lower case seen in the text, inside a known place of words). */
enum { K_BREAK = 1, K_END = 2, K_OPEN = 4, K_COLON = 8, K_BARE = 16, K_LOWER = 32 };
enum { M_GLUED = 1, M_SEEN = 2, M_MULTI = 4 };
/* Attributes without a per-word part, looked up by name when the model is made. */
static const char *const CONST_NAMES[] = {"ls", "ss", "after-colon", "after-label", "label-like",
                                          "mp", "seen-lower", "dig-", "dig+", "lowerdoc"};
enum { C_LS, C_SS, C_AFTER_COLON, C_AFTER_LABEL, C_LABEL_LIKE, C_MP, C_SEEN_LOWER, C_DIG_BEFORE, C_DIG_AFTER, C_LOWERDOC, NCONST };

/* One slot of the attribute hash table (open addressing, linear probing); id 0 marks an empty slot. */
typedef struct {
    uint64_t hash;
    Py_ssize_t off; /* into the arena of attribute bytes */
    int32_t len;
    int32_t id;
} Slot;

typedef struct {
    PyObject_HEAD
    int num_labels;      /* L */
    Py_ssize_t num_attrs; /* A: ids are 0..A-1 */
    int32_t bias;        /* id of "b", the feature of every token (0, a row of zeros, if the model lacks it) */
    double *state;       /* A x L: weight of (attribute, label), 0 where the model has none */
    double *trans;       /* L x L: weight of (previous label, label) */
    double *exp_trans;   /* exp of trans, as CRFsuite keeps it for forward-backward */
    PyObject *labels;    /* tuple of L label names, returned as they are */
    Slot *slots;         /* attribute string -> id */
    size_t mask;         /* slots - 1, a power of two minus one */
    char *arena;         /* every attribute's bytes, one after the other */
    Py_ssize_t max_len;  /* the longest attribute: a longer key is no attribute */
    int32_t consts[NCONST];
} Model;

/* A packed word's parts, checked once so the scoring loop needs no more checks. */
typedef struct {
    const int32_t *ids[NPARTS];
    Py_ssize_t n[NPARTS];
    int32_t single[NSINGLE];
    const char *low, *shape;
    Py_ssize_t len_low, len_shape;
} Word;

static uint64_t fnv1a(const char *p, Py_ssize_t n) {
    uint64_t h = 1469598103934665603ULL;
    for (Py_ssize_t k = 0; k < n; k++) {
        h ^= (unsigned char)p[k];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The id of an attribute string, 0 if the model has none. */
static int32_t lookup(const Model *m, const char *key, Py_ssize_t len) {
    if (len > m->max_len)
        return 0;
    uint64_t h = fnv1a(key, len);
    for (size_t k = (size_t)h & m->mask;; k = (k + 1) & m->mask) {
        const Slot *s = &m->slots[k];
        if (s->id == 0)
            return 0;
        if (s->hash == h && s->len == len && memcmp(m->arena + s->off, key, (size_t)len) == 0)
            return s->id;
    }
}

/* The id of the concatenation of the pieces (a NULL-terminated list, lengths in len), built in buf of
 * max_len + 1 bytes; too long to be an attribute means 0. */
static int32_t lookup_join(const Model *m, char *buf, const char *const *piece, const Py_ssize_t *len) {
    Py_ssize_t used = 0;
    for (int k = 0; piece[k] != NULL; k++) {
        if (len[k] > m->max_len - used)
            return 0;
        memcpy(buf + used, piece[k], (size_t)len[k]);
        used += len[k];
    }
    return lookup(m, buf, used);
}

static int read_word(const Model *m, PyObject *obj, Word *w) {
    if (!PyBytes_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "crf_native: a packed word must be bytes");
        return -1;
    }
    Py_ssize_t size = PyBytes_GET_SIZE(obj);
    if (size < 4 * HEADER) {
        PyErr_SetString(PyExc_ValueError, "crf_native: a packed word is too short");
        return -1;
    }
    int32_t head[HEADER]; /* copied: nothing promises the bytes' alignment beyond what CPython gives today */
    memcpy(head, PyBytes_AS_STRING(obj), sizeof head);
    const char *body = PyBytes_AS_STRING(obj) + sizeof head;
    Py_ssize_t room = size - (Py_ssize_t)sizeof head, used = 0;
    for (int k = 0; k < NPARTS; k++) {
        if (head[k] < 0 || head[k] > (room - used) / 4) {
            PyErr_SetString(PyExc_ValueError, "crf_native: a packed word's counts exceed its ids");
            return -1;
        }
        w->ids[k] = (const int32_t *)(body + used);
        w->n[k] = head[k];
        used += 4 * (Py_ssize_t)head[k];
    }
    for (int k = 0; k < NSINGLE; k++)
        w->single[k] = head[NPARTS + k];
    Py_ssize_t nlow = head[NPARTS + NSINGLE], nshape = head[NPARTS + NSINGLE + 1];
    if (nlow < 0 || nshape < 0 || nlow + nshape != room - used) {
        PyErr_SetString(PyExc_ValueError, "crf_native: a packed word's text lengths do not match its size");
        return -1;
    }
    w->low = body + used;
    w->len_low = nlow;
    w->shape = body + used + nlow;
    w->len_shape = nshape;
    for (Py_ssize_t k = 0; k < used / 4; k++) {
        int32_t id;
        memcpy(&id, body + 4 * k, 4);
        if (id < 0 || id >= m->num_attrs) {
            PyErr_SetString(PyExc_ValueError, "crf_native: a packed word has an attribute id outside the model");
            return -1;
        }
    }
    for (int k = 0; k < NSINGLE; k++) {
        if (w->single[k] < 0 || w->single[k] >= m->num_attrs) {
            PyErr_SetString(PyExc_ValueError, "crf_native: a packed word has an attribute id outside the model");
            return -1;
        }
    }
    return 0;
}

static inline void add_row(const Model *m, double *score, Py_ssize_t id) {
    const double *row = m->state + id * m->num_labels;
    for (int y = 0; y < m->num_labels; y++)
        score[y] += row[y];
}

static inline void add_part(const Model *m, double *score, const Word *w, int part) {
    for (Py_ssize_t k = 0; k < w->n[part]; k++) {
        int32_t id;
        memcpy(&id, w->ids[part] + k, 4); /* ids sit in bytes: read without assuming alignment */
        add_row(m, score, id);
    }
}

/* What one window's scoring reads, besides the model. */
typedef struct {
    const Word *words;          /* tokens a-2 .. b+1 of the text */
    Py_ssize_t a, n;            /* the window's first token, the text's token count */
    const unsigned char *kinds; /* KIND bits of tokens -2 .. n+1 (kinds[j + 2] is token j's) */
    const unsigned char *marks; /* MARK bits of tokens 0 .. n-1 */
    int lower_doc;              /* the text has no upper-case letter */
    char *buf;                  /* max_len + 1 bytes for building conjunctions */
} Window;

/* State scores of token i: "b", the word's own features, its neighbours' context features, then the
 * features built per position, in the order tagger.features() lists them (so sums round alike). A line
 * break has only "b" and its own features. */
static void score_position(const Model *m, double *score, const Window *win, Py_ssize_t i) {
    const Word *w = &win->words[i - win->a + 2], *p1 = w - 1, *p2 = w - 2, *n1 = w + 1, *n2 = w + 2;
    const unsigned char *kind = win->kinds + 2; /* kind[j] for token j, j in -2 .. n+1 */
    const int32_t *c = m->consts;
    memset(score, 0, sizeof(double) * m->num_labels);
    add_row(m, score, m->bias);
    add_part(m, score, w, OWN);
    if (kind[i] & K_BREAK)
        return;
    add_part(m, score, p1, PREV1);
    add_part(m, score, p2, PREV2);
    add_part(m, score, n1, NEXT1);
    add_part(m, score, n2, NEXT2);

    /* The conjunctions: "w-1|sh=<prev low>|<shape>", "sh|w+1=<shape>|<next low>",
     * "sh3=<prev shape>|<shape>|<next shape>". */
    const char *bar = "|";
    const char *k1[] = {"w-1|sh=", p1->low, bar, w->shape, NULL};
    const Py_ssize_t l1[] = {7, p1->len_low, 1, w->len_shape};
    const char *k2[] = {"sh|w+1=", w->shape, bar, n1->low, NULL};
    const Py_ssize_t l2[] = {7, w->len_shape, 1, n1->len_low};
    const char *k3[] = {"sh3=", p1->shape, bar, w->shape, bar, n1->shape, NULL};
    const Py_ssize_t l3[] = {4, p1->len_shape, 1, w->len_shape, 1, n1->len_shape};
    add_row(m, score, lookup_join(m, win->buf, k1, l1));
    add_row(m, score, lookup_join(m, win->buf, k2, l2));
    add_row(m, score, lookup_join(m, win->buf, k3, l3));

    /* Position flags. An edge (before the text, after it) counts as a line break, as "<S>" does in Python. */
    int line_start = i == 0 || (kind[i - 1] & K_BREAK);
    if (line_start) {
        add_row(m, score, c[C_LS]);
        add_row(m, score, w->single[LS_SH]);
    }
    if (line_start || (kind[i - 1] & K_END) || ((kind[i - 1] & K_OPEN) && (kind[i - 2] & K_END))) {
        add_row(m, score, c[C_SS]);
        add_row(m, score, w->single[SS_SH]);
        add_row(m, score, w->single[SS_LX]);
    }
    if (kind[i - 1] & K_COLON) {
        add_row(m, score, c[C_AFTER_COLON]);
        if (i >= 2 && (kind[i - 3] & K_BREAK)) /* token -1 is the edge: "Name: X" opening the text */
            add_row(m, score, c[C_AFTER_LABEL]);
    } else if ((kind[i + 1] & K_COLON) && line_start) {
        add_row(m, score, c[C_LABEL_LIKE]);
    }
    unsigned char mark = win->marks[i];
    if (i + 1 < win->n && (mark & M_GLUED))
        add_row(m, score, n1->single[GLUED]);
    if (mark & M_MULTI)
        add_row(m, score, c[C_MP]);
    if (!win->lower_doc && (mark & M_SEEN) && !(kind[i] & K_LOWER))
        add_row(m, score, c[C_SEEN_LOWER]);
    int before = 0, after = 0;
    for (Py_ssize_t j = i - 3 < 0 ? 0 : i - 3; j < i; j++)
        before |= kind[j] & K_BARE;
    for (Py_ssize_t j = i + 1; j < i + 4 && j < win->n; j++)
        after |= kind[j] & K_BARE;
    if (before)
        add_row(m, score, c[C_DIG_BEFORE]);
    if (after)
        add_row(m, score, c[C_DIG_AFTER]);
    if (win->lower_doc) {
        add_row(m, score, c[C_LOWERDOC]);
        add_row(m, score, w->single[LOWERDOC_LX]);
    }
}

/* Viterbi best path over the T x L state scores; first maximum wins, as in CRFsuite. */
static void viterbi(const Model *m, const double *state, Py_ssize_t T, double *best, int *back, int *path) {
    const int L = m->num_labels;
    for (int j = 0; j < L; j++)
        best[j] = state[j];
    for (Py_ssize_t t = 1; t < T; t++) {
        const double *prev = best + (t - 1) * L;
        double *cur = best + t * L;
        for (int j = 0; j < L; j++) {
            double top = -DBL_MAX;
            int arg = -1;
            for (int i = 0; i < L; i++) {
                double s = prev[i] + m->trans[i * L + j];
                if (top < s) {
                    top = s;
                    arg = i;
                }
            }
            back[t * L + j] = arg;
            cur[j] = top + state[t * L + j];
        }
    }
    double top = -DBL_MAX;
    path[T - 1] = 0;
    for (int i = 0; i < L; i++) {
        if (top < best[(T - 1) * L + i]) {
            top = best[(T - 1) * L + i];
            path[T - 1] = i;
        }
    }
    for (Py_ssize_t t = T - 1; t > 0; t--) {
        int arg = back[t * L + path[t]];
        path[t - 1] = arg < 0 ? 0 : arg; /* -1 only if every score were -inf or NaN */
    }
}

/* Marginal of path[t] at each t, by scaled forward-backward on exp(state) in place. */
static void marginals(const Model *m, double *ex, Py_ssize_t T, double *alpha, double *beta, double *scale,
                      double *row, const int *path, double *out) {
    const int L = m->num_labels;
    for (Py_ssize_t k = 0; k < T * L; k++)
        ex[k] = exp(ex[k]);
    for (Py_ssize_t t = 0; t < T; t++) {
        double *cur = alpha + t * L;
        const double *st = ex + t * L;
        if (t == 0) {
            memcpy(cur, st, sizeof(double) * L);
        } else {
            const double *prev = alpha + (t - 1) * L;
            memset(cur, 0, sizeof(double) * L);
            for (int i = 0; i < L; i++)
                for (int j = 0; j < L; j++)
                    cur[j] += prev[i] * m->exp_trans[i * L + j];
            for (int j = 0; j < L; j++)
                cur[j] *= st[j];
        }
        double sum = 0.0;
        for (int j = 0; j < L; j++)
            sum += cur[j];
        scale[t] = sum != 0.0 ? 1.0 / sum : 1.0;
        for (int j = 0; j < L; j++)
            cur[j] *= scale[t];
    }
    for (int j = 0; j < L; j++)
        beta[(T - 1) * L + j] = scale[T - 1];
    for (Py_ssize_t t = T - 2; t >= 0; t--) {
        const double *next = beta + (t + 1) * L, *st = ex + (t + 1) * L;
        double *cur = beta + t * L;
        for (int j = 0; j < L; j++)
            row[j] = next[j] * st[j];
        for (int i = 0; i < L; i++) {
            double dot = 0.0;
            for (int j = 0; j < L; j++)
                dot += m->exp_trans[i * L + j] * row[j];
            cur[i] = dot * scale[t];
        }
    }
    for (Py_ssize_t t = 0; t < T; t++) {
        int y = path[t];
        out[t] = alpha[t * L + y] * beta[t * L + y] / scale[t];
    }
}

/* Labels (path, label indexes) and their marginals (out) of tokens a .. a+T-1 of a text of n tokens, T >= 1:
 * words are the Word views of tokens a-2 .. a+T+1, kinds and marks as in Window. 0, or -1 with MemoryError. */
static int tag_window(const Model *m, const Word *words, Py_ssize_t T, Py_ssize_t a, Py_ssize_t n, const unsigned char *kinds,
                      const unsigned char *marks, int lower_doc, int *path, double *out) {
    const int L = m->num_labels;
    /* One allocation for the work arrays; T is at most a list's length, so T*L*4 fits a size_t. */
    size_t nd = (size_t)T * L * 4 + (size_t)T + (size_t)L;
    double *buf = PyMem_Malloc(nd * sizeof(double));
    int *back = PyMem_Malloc((size_t)T * L * sizeof(int));
    char *key = PyMem_Malloc((size_t)m->max_len + 1);
    int rc = -1;
    if (buf == NULL || back == NULL || key == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    double *state = buf, *best = state + T * L, *alpha = best + T * L, *beta = alpha + T * L;
    double *scale = beta + T * L, *row = scale + T;
    Window win = {words, a, n, kinds, marks, lower_doc, key};
    for (Py_ssize_t t = 0; t < T; t++)
        score_position(m, state + t * L, &win, a + t);
    viterbi(m, state, T, best, back, path);
    /* forward-backward exponentiates the scores in place: Viterbi is done with them */
    marginals(m, state, T, alpha, beta, scale, row, path, out);
    rc = 0;
done:
    PyMem_Free(buf);
    PyMem_Free(back);
    PyMem_Free(key);
    return rc;
}

PyDoc_STRVAR(tag_doc,
             "tag(words, kinds, marks, lower_doc, a) -> (labels, marginals)\n\n"
             "Labels tokens a .. a+T-1 of a text of n tokens. words: packed words (bytes) of tokens a-2 .. a+T+1\n"
             "(T + 4 of them); kinds: KIND bits of tokens -2 .. n+1 (n + 4 bytes); marks: MARK bits of tokens\n"
             "0 .. n-1 (n bytes); lower_doc: the text has no upper-case letter.\n"
             "Returns the Viterbi label names (list of str) and each label's marginal (list of float).");

static PyObject *Model_tag(Model *m, PyObject *args) {
    PyObject *words_obj;
    Py_buffer kinds, marks;
    int lower_doc;
    Py_ssize_t a;
    if (!PyArg_ParseTuple(args, "O!y*y*pn:tag", &PyList_Type, &words_obj, &kinds, &marks, &lower_doc, &a))
        return NULL;
    PyObject *labels = NULL, *margs = NULL, *result = NULL;
    double *out = NULL;
    int *path = NULL;
    Word *words = NULL;
    Py_ssize_t T = PyList_GET_SIZE(words_obj) - 4, n = marks.len;
    if (T < 0 || kinds.len != n + 4 || a < 0 || a > n - T) {
        PyErr_SetString(PyExc_ValueError,
                        "crf_native: tag() needs len(words) >= 4, len(kinds) == len(marks) + 4 and the window inside the text");
        goto done;
    }
    labels = PyList_New(T);
    margs = PyList_New(T);
    if (labels == NULL || margs == NULL)
        goto done;
    if (T == 0) {
        result = Py_BuildValue("(OO)", labels, margs);
        goto done;
    }
    out = PyMem_Malloc((size_t)T * sizeof(double));
    path = PyMem_Malloc((size_t)T * sizeof(int));
    words = PyMem_Malloc((size_t)(T + 4) * sizeof(Word));
    if (out == NULL || path == NULL || words == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t k = 0; k < T + 4; k++)
        if (read_word(m, PyList_GET_ITEM(words_obj, k), &words[k]) < 0)
            goto done;
    if (tag_window(m, words, T, a, n, kinds.buf, marks.buf, lower_doc, path, out) < 0)
        goto done;
    for (Py_ssize_t t = 0; t < T; t++) {
        PyObject *name = PyTuple_GET_ITEM(m->labels, path[t]);
        PyObject *prob = PyFloat_FromDouble(out[t]);
        if (prob == NULL)
            goto done;
        Py_INCREF(name);
        PyList_SET_ITEM(labels, t, name);
        PyList_SET_ITEM(margs, t, prob);
    }
    result = Py_BuildValue("(OO)", labels, margs);
done:
    PyMem_Free(out);
    PyMem_Free(path);
    PyMem_Free(words);
    Py_XDECREF(labels);
    Py_XDECREF(margs);
    PyBuffer_Release(&kinds);
    PyBuffer_Release(&marks);
    return result;
}

/* ---- a word's features as ids ----------------------------------------------------------------
 * tagger.WordCache.fill and _Word.pack in one step: the feature strings of a word are built here and looked
 * up in the attribute table, so a new word costs no Python string building. */

/* UTF-8 (surrogatepass, as tagger.py encodes) of a str, as a new bytes object; NULL with an exception. */
static PyObject *utf8(PyObject *s) { return PyUnicode_AsEncodedString(s, "utf-8", "surrogatepass"); }

/* Bytes of the first (from_end 0) or last (from_end 1) k code points of UTF-8 text p[0..n): Python's
 * low[:k] and low[-k:]. Lone surrogates are three bytes each with surrogatepass, like any code point. */
static Py_ssize_t utf8_span(const char *p, Py_ssize_t n, int k, int from_end, Py_ssize_t *start) {
    Py_ssize_t i;
    int seen = 0;
    if (!from_end) {
        for (i = 0; i < n; i++) {
            if (((unsigned char)p[i] & 0xC0) != 0x80 && seen++ == k)
                break;
        }
        *start = 0;
        return i;
    }
    for (i = n; i > 0 && seen < k;) {
        i--;
        if (((unsigned char)p[i] & 0xC0) != 0x80)
            seen++;
    }
    *start = i;
    return n - i;
}

/* Appends the id of prefix+text (0: the model lacks it) to ids[*n] when it is not 0, as filter(None, ...). */
static void add_id(const Model *m, char *buf, int32_t *ids, Py_ssize_t *n, const char *prefix, const char *text,
                   Py_ssize_t len) {
    const char *piece[] = {prefix, text, NULL};
    const Py_ssize_t plen[] = {(Py_ssize_t)strlen(prefix), len};
    int32_t id = lookup_join(m, buf, piece, plen);
    if (id != 0)
        ids[(*n)++] = id;
}

static int32_t id_of(const Model *m, char *buf, const char *prefix, const char *text, Py_ssize_t len) {
    const char *piece[] = {prefix, text, NULL};
    const Py_ssize_t plen[] = {(Py_ssize_t)strlen(prefix), len};
    return lookup_join(m, buf, piece, plen);
}

/* The packed word (layout at the top) of tagger.WordCache.fill: word is the token text, low/shape/flags its
 * _Word fields, hy_first whether every part of a hyphenated word is a first name; edge: the padding word
 * before and after a text, which has no features of its own. A new bytes object, NULL with an exception. */
static PyObject *pack_word(const Model *m, PyObject *word, PyObject *low, PyObject *shape, PyObject *flags, int hy_first,
                           int edge) {
    PyObject *blow = utf8(low), *bshape = utf8(shape), *bflags = utf8(flags), *bword = utf8(word), *result = NULL;
    char *buf = PyMem_Malloc((size_t)m->max_len + 1);
    int32_t *ids = NULL;
    if (blow == NULL || bshape == NULL || bflags == NULL || bword == NULL)
        goto done;
    const char *l = PyBytes_AS_STRING(blow), *sh = PyBytes_AS_STRING(bshape), *fl = PyBytes_AS_STRING(bflags);
    Py_ssize_t nl = PyBytes_GET_SIZE(blow), nsh = PyBytes_GET_SIZE(bshape), nfl = PyBytes_GET_SIZE(bflags);
    Py_ssize_t wlen = PyUnicode_GET_LENGTH(word);
    /* own: at most 3 + one per flag + 3 affixes + 2 hyphen + 1 length; the neighbours' parts 10 */
    ids = PyMem_Malloc(sizeof(int32_t) * (size_t)(nfl + 32));
    if (buf == NULL || ids == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t n[NPARTS] = {0}, used = 0;
    int32_t *own = ids;
    if (edge) {
        /* the padding word: no features of its own */
    } else if (wlen > 0 && PyUnicode_READ_CHAR(word, 0) == '<') {
        add_id(m, buf, own, &n[OWN], "w=", PyBytes_AS_STRING(bword), PyBytes_GET_SIZE(bword));
    } else {
        add_id(m, buf, own, &n[OWN], "w=", l, nl);
        add_id(m, buf, own, &n[OWN], "sh=", sh, nsh);
        add_id(m, buf, own, &n[OWN], "lx=", fl, nfl);
        for (Py_ssize_t k = 0; k < nfl;) { /* "f:" + each flag (one code point each) */
            Py_ssize_t e = k + 1;
            while (e < nfl && ((unsigned char)fl[e] & 0xC0) == 0x80)
                e++;
            add_id(m, buf, own, &n[OWN], "f:", fl + k, e - k);
            k = e;
        }
        int alpha = wlen > 0;
        for (Py_ssize_t k = 0; k < wlen && alpha; k++)
            alpha = Py_UNICODE_ISALPHA(PyUnicode_READ_CHAR(word, k));
        if (alpha && wlen > 3) {
            Py_ssize_t at, len;
            len = utf8_span(l, nl, 3, 1, &at);
            add_id(m, buf, own, &n[OWN], "s3=", l + at, len);
            len = utf8_span(l, nl, 4, 1, &at);
            add_id(m, buf, own, &n[OWN], "s4=", l + at, len);
            len = utf8_span(l, nl, 3, 0, &at);
            add_id(m, buf, own, &n[OWN], "p3=", l + at, len);
        }
        if (PyUnicode_FindChar(word, '-', 0, wlen, 1) >= 0) {
            add_id(m, buf, own, &n[OWN], "hy", "", 0);
            if (hy_first)
                add_id(m, buf, own, &n[OWN], "hy:f", "", 0);
        }
        char len_text[8];
        int len_n = snprintf(len_text, sizeof len_text, "%d", (int)(wlen < 12 ? wlen : 12));
        add_id(m, buf, own, &n[OWN], "len=", len_text, len_n);
    }
    used = n[OWN];
    add_id(m, buf, ids + used, &n[PREV1], "w-1=", l, nl);
    add_id(m, buf, ids + used, &n[PREV1], "sh-1=", sh, nsh);
    add_id(m, buf, ids + used, &n[PREV1], "lx-1=", fl, nfl);
    used += n[PREV1];
    add_id(m, buf, ids + used, &n[PREV2], "w-2=", l, nl);
    add_id(m, buf, ids + used, &n[PREV2], "sh-2=", sh, nsh);
    used += n[PREV2];
    add_id(m, buf, ids + used, &n[NEXT1], "w+1=", l, nl);
    add_id(m, buf, ids + used, &n[NEXT1], "sh+1=", sh, nsh);
    add_id(m, buf, ids + used, &n[NEXT1], "lx+1=", fl, nfl);
    used += n[NEXT1];
    add_id(m, buf, ids + used, &n[NEXT2], "w+2=", l, nl);
    add_id(m, buf, ids + used, &n[NEXT2], "sh+2=", sh, nsh);
    used += n[NEXT2];
    if (nl > INT32_MAX || nsh > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "crf_native: a word too long to pack");
        goto done;
    }
    int32_t head[HEADER] = {
        (int32_t)n[OWN], (int32_t)n[PREV1], (int32_t)n[PREV2], (int32_t)n[NEXT1], (int32_t)n[NEXT2],
        id_of(m, buf, "ls|sh=", sh, nsh), id_of(m, buf, "ss|sh=", sh, nsh), id_of(m, buf, "ss|lx=", fl, nfl),
        id_of(m, buf, "lowerdoc|lx=", fl, nfl), id_of(m, buf, "glued+=", l, nl), (int32_t)nl, (int32_t)nsh,
    };
    result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)sizeof head + 4 * used + nl + nsh);
    if (result == NULL)
        goto done;
    char *out = PyBytes_AS_STRING(result);
    memcpy(out, head, sizeof head);
    memcpy(out + sizeof head, ids, (size_t)(4 * used));
    memcpy(out + sizeof head + 4 * used, l, (size_t)nl);
    memcpy(out + sizeof head + 4 * used + nl, sh, (size_t)nsh);
done:
    Py_XDECREF(blow);
    Py_XDECREF(bshape);
    Py_XDECREF(bflags);
    Py_XDECREF(bword);
    PyMem_Free(buf);
    PyMem_Free(ids);
    return result;
}

/* The hash table of attribute strings: names[k] (bytes) is attribute id k; names[0] stands for "no
 * attribute" and is not entered. */
static int build_table(Model *m, PyObject *names) {
    Py_ssize_t A = PyList_GET_SIZE(names), total = 0, longest = 0;
    for (Py_ssize_t k = 1; k < A; k++) {
        PyObject *name = PyList_GET_ITEM(names, k);
        if (!PyBytes_Check(name)) {
            PyErr_SetString(PyExc_TypeError, "crf_native: attribute names must be bytes");
            return -1;
        }
        Py_ssize_t len = PyBytes_GET_SIZE(name);
        if (len > INT32_MAX / 2 || total > PY_SSIZE_T_MAX / 2) {
            PyErr_SetString(PyExc_ValueError, "crf_native: attribute names too long");
            return -1;
        }
        total += len;
        longest = len > longest ? len : longest;
    }
    size_t size = 16;
    while (size < (size_t)A * 2) /* at most half full: probes stay short */
        size *= 2;
    m->slots = PyMem_Calloc(size, sizeof(Slot));
    m->arena = PyMem_Malloc(total > 0 ? (size_t)total : 1);
    if (m->slots == NULL || m->arena == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    m->mask = size - 1;
    m->max_len = longest;
    Py_ssize_t off = 0;
    for (Py_ssize_t k = 1; k < A; k++) {
        PyObject *name = PyList_GET_ITEM(names, k);
        Py_ssize_t len = PyBytes_GET_SIZE(name);
        memcpy(m->arena + off, PyBytes_AS_STRING(name), (size_t)len);
        uint64_t h = fnv1a(m->arena + off, len);
        size_t j = (size_t)h & m->mask;
        while (m->slots[j].id != 0) {
            const Slot *s = &m->slots[j];
            if (s->hash == h && s->len == len && memcmp(m->arena + s->off, m->arena + off, (size_t)len) == 0) {
                PyErr_SetString(PyExc_ValueError, "crf_native: an attribute name appears twice");
                return -1;
            }
            j = (j + 1) & m->mask;
        }
        m->slots[j] = (Slot){h, off, (int32_t)len, (int32_t)k};
        off += len;
    }
    for (int k = 0; k < NCONST; k++)
        m->consts[k] = lookup(m, CONST_NAMES[k], (Py_ssize_t)strlen(CONST_NAMES[k]));
    return 0;
}

static void clear_model(Model *m) {
    PyMem_Free(m->state);
    PyMem_Free(m->trans);
    PyMem_Free(m->slots);
    PyMem_Free(m->arena);
    m->state = m->trans = m->exp_trans = NULL;
    m->slots = NULL;
    m->arena = NULL;
    Py_CLEAR(m->labels);
}

/* Model(state, transitions, labels, names): state is A*L doubles and transitions L*L doubles (bytes,
 * native order, row-major), labels a tuple of L names, names a list of A attribute names (bytes, UTF-8
 * with surrogatepass; names[0] is "no attribute" and its row of weights is zeros). */
static int Model_init(Model *m, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"state", "transitions", "labels", "names", NULL};
    Py_buffer st, tr;
    PyObject *labels, *names;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "y*y*O!O!:Model", kwlist, &st, &tr, &PyTuple_Type, &labels, &PyList_Type,
                                     &names))
        return -1;
    int rc = -1;
    clear_model(m); /* __init__ may run twice on one object */
    Py_ssize_t L = PyTuple_GET_SIZE(labels);
    if (L < 1 || L > 1000) {
        PyErr_SetString(PyExc_ValueError, "crf_native: a model needs 1 to 1000 labels");
        goto done;
    }
    if (tr.len != (Py_ssize_t)(L * L * sizeof(double)) || st.len % (L * (Py_ssize_t)sizeof(double)) != 0 ||
        st.len / (L * (Py_ssize_t)sizeof(double)) != PyList_GET_SIZE(names) || PyList_GET_SIZE(names) < 1 ||
        PyList_GET_SIZE(names) > INT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "crf_native: weight tables do not match the labels and attribute names");
        goto done;
    }
    Py_ssize_t A = st.len / (L * (Py_ssize_t)sizeof(double));
    m->state = PyMem_Malloc((size_t)st.len);
    m->trans = PyMem_Malloc((size_t)tr.len * 2);
    if (m->state == NULL || m->trans == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    memcpy(m->state, st.buf, (size_t)st.len);
    memcpy(m->trans, tr.buf, (size_t)tr.len);
    m->exp_trans = m->trans + L * L;
    for (Py_ssize_t k = 0; k < L * L; k++) /* CRFsuite keeps exp(transitions) for forward-backward */
        m->exp_trans[k] = exp(m->trans[k]);
    m->num_labels = (int)L;
    m->num_attrs = A;
    if (build_table(m, names) < 0)
        goto done;
    m->bias = lookup(m, "b", 1);
    Py_INCREF(labels);
    m->labels = labels; /* set last: a model with labels is a complete one (see Model_tag_checked) */
    rc = 0;
done:
    if (rc < 0)
        clear_model(m);
    PyBuffer_Release(&st);
    PyBuffer_Release(&tr);
    return rc;
}

static PyObject *Model_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    (void)args;
    (void)kwds;
    Model *m = (Model *)type->tp_alloc(type, 0); /* zeroed: tag() on an uninitialised model is refused */
    return (PyObject *)m;
}

static PyObject *Model_tag_checked(Model *m, PyObject *args) {
    if (m->labels == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "crf_native: Model was not initialised");
        return NULL;
    }
    return Model_tag(m, args);
}


static void Model_dealloc(Model *m) {
    clear_model(m);
    Py_TYPE(m)->tp_free((PyObject *)m);
}

static PyMethodDef Model_methods[] = {
    {"tag", (PyCFunction)Model_tag_checked, METH_VARARGS, tag_doc},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ModelType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "aircluster.privacy.detect.crf_native.Model",
    .tp_basicsize = sizeof(Model),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A linear-chain CRF's weights, for tag().",
    .tp_new = Model_new,
    .tp_init = (initproc)Model_init,
    .tp_dealloc = (destructor)Model_dealloc,
    .tp_methods = Model_methods,
};

/* ---- tokenizer ---------------------------------------------------------------------------------
 * tagger.tokenize's regular expression, \n[ \t]*(?:\n[ \t\n]*)?|[^\W_]+(?:['’-][^\W_]+)*|[^\s\w]|_ ,
 * as a loop over code points with the classes Python's re uses for str patterns (\w is
 * Py_UNICODE_ISALNUM or "_", \s is Py_UNICODE_ISSPACE), so the tokens are the same; a third of a
 * short text's tagging time was this regex. */

static inline int is_alnum(Py_UCS4 c) { return Py_UNICODE_ISALNUM(c); }

/* One token (start, end, text) as an instance of the NamedTuple class `type` (a tuple subclass with
 * the tuple's layout, checked by the caller), as tuple.__new__(type, ...) builds it. */
static PyObject *make_token(PyTypeObject *type, Py_ssize_t start, Py_ssize_t end, PyObject *text) {
    PyObject *tok = type->tp_alloc(type, 3);
    PyObject *a = PyLong_FromSsize_t(start), *b = PyLong_FromSsize_t(end);
    if (tok == NULL || a == NULL || b == NULL) {
        Py_XDECREF(tok);
        Py_XDECREF(a);
        Py_XDECREF(b);
        Py_DECREF(text);
        return NULL;
    }
    PyTuple_SET_ITEM(tok, 0, a);
    PyTuple_SET_ITEM(tok, 1, b);
    PyTuple_SET_ITEM(tok, 2, text); /* steals the reference */
    /* Two ints and a str can be in no reference cycle: untracked, as CPython's collector leaves plain tuples
     * of such items, so the collections that a text's many tokens set off do not walk them. */
    PyObject_GC_UnTrack(tok);
    return tok;
}

PyDoc_STRVAR(tokenize_doc,
             "tokenize(text, token_type, nl, nl2) -> list of token_type(start, end, text)\n\n"
             "The tokens of tagger.tokenize: a line break is one token whose text is nl (one break) or nl2 (more).");

static int check_token_type(PyTypeObject *type) {
    if (!PyType_IsSubtype(type, &PyTuple_Type) || type->tp_basicsize != PyTuple_Type.tp_basicsize ||
        type->tp_itemsize != PyTuple_Type.tp_itemsize) {
        PyErr_SetString(PyExc_TypeError, "crf_native: token_type must be a tuple subclass without fields of its own");
        return -1;
    }
    return 0;
}

static PyObject *tokens_of(PyObject *text, PyTypeObject *type, PyObject *nl, PyObject *nl2);

static PyObject *tokenize(PyObject *self, PyObject *args) {
    (void)self;
    PyObject *text, *nl, *nl2;
    PyTypeObject *type;
    if (!PyArg_ParseTuple(args, "UO!UU:tokenize", &text, &PyType_Type, &type, &nl, &nl2))
        return NULL;
    if (check_token_type(type) < 0)
        return NULL;
    return tokens_of(text, type, nl, nl2);
}

/* The tokens of text as a list of `type` (checked by check_token_type). */
static PyObject *tokens_of(PyObject *text, PyTypeObject *type, PyObject *nl, PyObject *nl2) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    Py_ssize_t n = PyUnicode_GET_LENGTH(text), i = 0;
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    while (i < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        Py_ssize_t start = i;
        PyObject *word;
        if (c == '\n') {
            /* a break, the blanks after it, and with a second break every blank and break after that */
            int breaks = 1;
            for (i++; i < n && (PyUnicode_READ(kind, data, i) == ' ' || PyUnicode_READ(kind, data, i) == '\t'); i++)
                ;
            if (i < n && PyUnicode_READ(kind, data, i) == '\n') {
                for (; i < n; i++) {
                    Py_UCS4 d = PyUnicode_READ(kind, data, i);
                    if (d == '\n')
                        breaks++;
                    else if (d != ' ' && d != '\t')
                        break;
                }
            }
            word = breaks > 1 ? nl2 : nl;
            Py_INCREF(word);
        } else if (is_alnum(c)) {
            /* letters and digits, joined by an apostrophe or hyphen that has one on either side */
            for (i++; i < n && is_alnum(PyUnicode_READ(kind, data, i)); i++)
                ;
            while (i + 1 < n) {
                Py_UCS4 sep = PyUnicode_READ(kind, data, i);
                if (!(sep == '\'' || sep == 0x2019 || sep == '-') || !is_alnum(PyUnicode_READ(kind, data, i + 1)))
                    break;
                for (i += 2; i < n && is_alnum(PyUnicode_READ(kind, data, i)); i++)
                    ;
            }
            word = PyUnicode_Substring(text, start, i);
        } else if (Py_UNICODE_ISSPACE(c)) { /* other blanks separate tokens and are none */
            i++;
            continue;
        } else { /* "_" or any other single character that is neither blank nor letter nor digit */
            i++;
            word = PyUnicode_Substring(text, start, i);
        }
        if (word == NULL) {
            Py_DECREF(out);
            return NULL;
        }
        PyObject *tok = make_token(type, start, i, word);
        if (tok == NULL || PyList_Append(out, tok) < 0) {
            Py_XDECREF(tok);
            Py_DECREF(out);
            return NULL;
        }
        Py_DECREF(tok);
    }
    return out;
}

/* tagger._shape: character classes with repeats collapsed (X upper, x lower, d digit, any other character
 * itself); a word of digits only is "d" and its length up to 6. */
static PyObject *shape_of(PyObject *arg) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(arg);
    int kind = PyUnicode_KIND(arg);
    const void *data = PyUnicode_DATA(arg);
    int digits = n > 0;
    for (Py_ssize_t i = 0; i < n && digits; i++)
        digits = Py_UNICODE_ISDIGIT(PyUnicode_READ(kind, data, i));
    if (digits)
        return PyUnicode_FromFormat("d%d", (int)(n < 6 ? n : 6));
    Py_UCS4 *out = PyMem_Malloc(sizeof(Py_UCS4) * (size_t)(n > 0 ? n : 1));
    if (out == NULL)
        return PyErr_NoMemory();
    Py_ssize_t used = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        Py_UCS4 k = Py_UNICODE_ISUPPER(c) ? 'X' : Py_UNICODE_ISLOWER(c) ? 'x' : Py_UNICODE_ISDIGIT(c) ? 'd' : c;
        if (used == 0 || out[used - 1] != k)
            out[used++] = k;
    }
    PyObject *result = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, used);
    PyMem_Free(out);
    return result;
}

/* ---- the whole tag() of a text -----------------------------------------------------------------
 * tagger.NameTagger.tag with no Python per token or per word. Each distinct word's facts (WordCache.get:
 * lower case, flags from the word lists, shape, KIND bits, whether it may be a name) are kept in this
 * object's cache, and its packed features (WordCache.fill) once it is first near a window. Per text: the
 * tokens, the windows (tagger.segments), the places of several words (tagger._multiword_places), the
 * KIND and MARK bytes and each window's labels and marginals. */

#define NFLAGS 9 /* the word lists a flag letter each ("f" first names ... "m" months): tagger.WordCache.get */

typedef struct {
    PyObject *word, *low, *shape, *flags; /* str */
    PyObject *packed;                     /* bytes, NULL until the word is first near a window */
    Word w;                               /* packed, read once */
    uint64_t stamp;                       /* the text that last had this word in lower case (M_SEEN) */
    unsigned char wanted;                 /* 0 no, 1 yes, 2 unless it opens a sentence (tagger._Word.wanted) */
    unsigned char kind;                   /* KIND bits */
    unsigned char heads;                  /* bit k set: a known place of k words (2 .. 4) starts with it */
    unsigned char alnum;                  /* its first character is a letter or digit */
} Entry;

/* What tagger.spans_of reads of a label name. */
typedef struct {
    int is_o;         /* "O": no entity */
    int is_b;         /* "B-...": opens a span */
    int group;        /* labels with the same name after "B-"/"I-" share it */
    PyObject *tail;   /* that name (the label from its third character); NULL for "O" */
    PyObject *entity; /* tagger.ENTITY_OF of that name; NULL for "O" */
} LabelInfo;

typedef struct {
    PyObject_HEAD
    Model *model;
    PyTypeObject *token_type;
    PyObject *nl, *nl2;
    int nsets;
    Py_UCS4 letters[NFLAGS];
    PyObject *sets[NFLAGS];   /* set or frozenset of lower-case words, one per flag letter */
    PyObject *first_names;    /* for "hy:f" */
    PyObject *place_lengths;  /* dict: first word of a known place -> tuple of its places' word counts */
    PyObject *places;         /* set of known places, lower case, words joined by one space */
    PyObject *cache;          /* dict: word -> index into entries */
    PyObject *o_label;        /* "O" */
    PyObject *hyphen, *space; /* "-", " " */
    Entry *entries;
    Py_ssize_t count, cap, limit, max_seq, window;
    uint64_t serial;          /* texts tagged so far */
    Entry edge;               /* the padding before and after a text, "<S>" */
    LabelInfo *label_info;    /* per label of the model */
    int num_labels;           /* of label_info */
    int started;              /* __init__ ran (once only: it does not release what a first run set) */
} Tagger;

static void clear_entry(Entry *e) {
    Py_CLEAR(e->word);
    Py_CLEAR(e->low);
    Py_CLEAR(e->shape);
    Py_CLEAR(e->flags);
    Py_CLEAR(e->packed);
}

static void clear_cache(Tagger *t) {
    for (Py_ssize_t k = 0; k < t->count; k++)
        clear_entry(&t->entries[k]);
    t->count = 0;
    if (t->cache != NULL)
        PyDict_Clear(t->cache);
}

/* str.islower: some cased character, none upper or title case (CPython's unicode_islower_impl). */
static int is_lower(PyObject *s) {
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    if (n == 1)
        return Py_UNICODE_ISLOWER(PyUnicode_READ_CHAR(s, 0));
    int cased = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_UCS4 c = PyUnicode_READ_CHAR(s, i);
        if (Py_UNICODE_ISUPPER(c) || Py_UNICODE_ISTITLE(c))
            return 0;
        if (!cased && Py_UNICODE_ISLOWER(c))
            cased = 1;
    }
    return cased;
}

/* KIND bits, heads and alnum of an entry whose word, low and shape are set (tagger._Word.__init__). */
static int entry_facts(Tagger *t, Entry *e) {
    Py_UCS4 low0 = PyUnicode_GET_LENGTH(e->low) ? PyUnicode_READ_CHAR(e->low, 0) : 0;
    int one = PyUnicode_GET_LENGTH(e->low) == 1;
    int bare = PyUnicode_GET_LENGTH(e->shape) == 2 && PyUnicode_READ_CHAR(e->shape, 0) == 'd';
    e->kind = (unsigned char)((low0 == '<' ? K_BREAK : 0) | (one && (low0 == '.' || low0 == '!' || low0 == '?') ? K_END : 0) |
                              (one && (low0 == '"' || low0 == '(' || low0 == '\'') ? K_OPEN : 0) |
                              (one && low0 == ':' ? K_COLON : 0) | (bare ? K_BARE : 0) | (is_lower(e->word) ? K_LOWER : 0));
    e->alnum = PyUnicode_GET_LENGTH(e->word) > 0 && Py_UNICODE_ISALNUM(PyUnicode_READ_CHAR(e->word, 0));
    PyObject *lengths = PyDict_GetItemWithError(t->place_lengths, e->low); /* borrowed */
    if (lengths == NULL)
        return PyErr_Occurred() ? -1 : 0;
    if (!PyTuple_Check(lengths)) {
        PyErr_SetString(PyExc_TypeError, "crf_native: place_lengths must map words to tuples of ints");
        return -1;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(lengths); k++) {
        long len = PyLong_AsLong(PyTuple_GET_ITEM(lengths, k));
        if (len == -1 && PyErr_Occurred())
            return -1;
        if (len >= 2 && len <= 4)
            e->heads |= (unsigned char)(1 << len);
    }
    return 0;
}

/* A new entry for word (WordCache.get); its index, or -1 with an exception. */
static Py_ssize_t new_entry(Tagger *t, PyObject *word) {
    Entry e;
    memset(&e, 0, sizeof e);
    Py_ssize_t n = PyUnicode_GET_LENGTH(word);
    Py_UCS4 c0 = n > 0 ? PyUnicode_READ_CHAR(word, 0) : 0;
    Py_INCREF(word);
    e.word = word;
    if (c0 == '<') { /* a line break token: itself for low and shape, no flags */
        Py_INCREF(word);
        Py_INCREF(word);
        e.low = e.shape = word;
        e.flags = PyUnicode_New(0, 0);
    } else {
        e.low = PyObject_CallMethod(word, "lower", NULL);
        e.shape = shape_of(word);
        if (e.low == NULL || e.shape == NULL || !PyUnicode_Check(e.low))
            goto fail;
        Py_UCS4 found[NFLAGS];
        int nf = 0, first = 0, last = 0, place = 0, common = 0;
        for (int k = 0; k < t->nsets; k++) {
            int r = PySet_Contains(t->sets[k], e.low);
            if (r < 0)
                goto fail;
            if (r) {
                Py_UCS4 c = t->letters[k];
                found[nf++] = c;
                first |= c == 'f', last |= c == 'l', place |= c == 'p', common |= c == 'c';
            }
        }
        e.flags = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, found, nf);
        if (Py_UNICODE_ISUPPER(c0))
            e.wanted = common ? 2 : 1;
        else
            e.wanted = Py_UNICODE_ISALPHA(c0) && (first || last || place) && !common;
    }
    if (e.flags == NULL || entry_facts(t, &e) < 0)
        goto fail;
    if (t->count == t->cap) {
        Py_ssize_t cap = t->cap ? t->cap * 2 : 1024;
        Entry *grown = PyMem_Realloc(t->entries, (size_t)cap * sizeof(Entry));
        if (grown == NULL) {
            PyErr_NoMemory();
            goto fail;
        }
        t->entries = grown;
        t->cap = cap;
    }
    PyObject *index = PyLong_FromSsize_t(t->count);
    if (index == NULL || PyDict_SetItem(t->cache, word, index) < 0) {
        Py_XDECREF(index);
        goto fail;
    }
    Py_DECREF(index);
    t->entries[t->count] = e;
    return t->count++;
fail:
    clear_entry(&e);
    return -1;
}

/* The entry index of a word, made on first sight; -1 with an exception. */
static Py_ssize_t entry_of(Tagger *t, PyObject *word) {
    PyObject *hit = PyDict_GetItemWithError(t->cache, word); /* borrowed */
    if (hit != NULL)
        return PyLong_AsSsize_t(hit);
    if (PyErr_Occurred())
        return -1;
    return new_entry(t, word);
}

/* The entry's packed features (WordCache.fill), once. */
static int fill_entry(Tagger *t, Entry *e, int edge) {
    if (e->packed != NULL)
        return 0;
    int hy_first = 0;
    Py_ssize_t n = PyUnicode_GET_LENGTH(e->word);
    if (!edge && PyUnicode_FindChar(e->word, '-', 0, n, 1) >= 0 && PyUnicode_READ_CHAR(e->word, 0) != '<') {
        PyObject *parts = PyUnicode_Split(e->low, t->hyphen, -1); /* "Jean-Luc": every part a first name */
        if (parts == NULL)
            return -1;
        hy_first = 1;
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(parts) && hy_first == 1; k++)
            hy_first = PySet_Contains(t->first_names, PyList_GET_ITEM(parts, k));
        Py_DECREF(parts);
        if (hy_first < 0)
            return -1;
    }
    PyObject *packed = pack_word(t->model, e->word, e->low, e->shape, e->flags, hy_first, edge);
    if (packed == NULL)
        return -1;
    if (read_word(t->model, packed, &e->w) < 0) {
        Py_DECREF(packed);
        return -1;
    }
    e->packed = packed;
    return 0;
}

/* Token ranges the CRF labels (tagger.segments) into seg[2k], seg[2k+1]; their count. */
static Py_ssize_t segments_of(const Tagger *t, const Py_ssize_t *idx, Py_ssize_t n, Py_ssize_t *seg) {
    Py_ssize_t nseg = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const Entry *e = &t->entries[idx[i]];
        if (!e->wanted)
            continue;
        int opens = i == 0 || (t->entries[idx[i - 1]].kind & (K_BREAK | K_END)); /* after a break or ".!?" */
        if (e->wanted == 2 && opens)
            continue;
        Py_ssize_t a = i - t->window < 0 ? 0 : i - t->window, b = i + t->window + 1 > n ? n : i + t->window + 1;
        if (nseg > 0 && a <= seg[2 * nseg - 1] && b - seg[2 * nseg - 2] <= t->max_seq) {
            seg[2 * nseg - 1] = b;
        } else {
            seg[2 * nseg] = a;
            seg[2 * nseg + 1] = b;
            nseg++;
        }
    }
    return nseg;
}

/* M_MULTI on the tokens inside a known place of 2-4 words (tagger._multiword_places). */
static int mark_places(const Tagger *t, const Py_ssize_t *idx, Py_ssize_t n, unsigned char *marks) {
    for (Py_ssize_t i = 0; i + 1 < n; i++) {
        unsigned char heads = t->entries[idx[i]].heads;
        for (int k = 4; k >= 2 && heads; k--) {
            if (!(heads & (1 << k)) || i + k > n)
                continue;
            PyObject *words = PyList_New(k);
            if (words == NULL)
                return -1;
            for (int j = 0; j < k; j++) {
                PyObject *low = t->entries[idx[i + j]].low;
                Py_INCREF(low);
                PyList_SET_ITEM(words, j, low);
            }
            PyObject *joined = PyUnicode_Join(t->space, words);
            Py_DECREF(words);
            int r = joined == NULL ? -1 : PySet_Contains(t->places, joined);
            Py_XDECREF(joined);
            if (r < 0)
                return -1;
            if (r) {
                for (int j = 0; j < k; j++)
                    marks[i + j] |= M_MULTI;
                break;
            }
        }
    }
    return 0;
}

/* M_SEEN on the tokens of the windows (the only ones read): the text also has the word's lower case as a
 * token in lower case. The cache holds every token of this text, so that token's entry is the cache's
 * entry for the lower case, stamped with this text's serial. */
static int mark_seen(Tagger *t, const Py_ssize_t *idx, Py_ssize_t n, const Py_ssize_t *seg, Py_ssize_t nseg,
                     unsigned char *marks) {
    t->serial++;
    for (Py_ssize_t i = 0; i < n; i++) {
        Entry *e = &t->entries[idx[i]];
        if (e->kind & K_LOWER)
            e->stamp = t->serial;
    }
    for (Py_ssize_t s = 0; s < nseg; s++) {
        for (Py_ssize_t i = seg[2 * s]; i < seg[2 * s + 1]; i++) {
            const Entry *e = &t->entries[idx[i]];
            if (e->kind & K_LOWER)
                continue; /* not read for a word in lower case */
            PyObject *hit = PyDict_GetItemWithError(t->cache, e->low);
            if (hit == NULL) {
                if (PyErr_Occurred())
                    return -1;
                continue;
            }
            Py_ssize_t j = PyLong_AsSsize_t(hit);
            if (j < 0 || j >= t->count) {
                if (!PyErr_Occurred())
                    PyErr_SetString(PyExc_RuntimeError, "crf_native: the word cache is inconsistent");
                return -1;
            }
            if (t->entries[j].stamp == t->serial)
                marks[i] |= M_SEEN;
        }
    }
    return 0;
}

/* Probe ranges (a sequence of (start, end) character offsets) as 2 * count Py_ssize_t; count, -1 on error. */
static Py_ssize_t read_probe(PyObject *probe, Py_ssize_t **out) {
    PyObject *seq = PySequence_Fast(probe, "crf_native: probe must be a sequence of (start, end) pairs");
    if (seq == NULL)
        return -1;
    Py_ssize_t m = PySequence_Fast_GET_SIZE(seq);
    *out = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(2 * m + 1));
    if (*out == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t k = 0; k < m; k++) {
        PyObject *pair = PySequence_Fast_GET_ITEM(seq, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
            PyErr_SetString(PyExc_TypeError, "crf_native: probe must be a sequence of (start, end) pairs");
            Py_DECREF(seq);
            return -1;
        }
        for (int j = 0; j < 2; j++) {
            (*out)[2 * k + j] = PyLong_AsSsize_t(PyTuple_GET_ITEM(pair, j));
            if ((*out)[2 * k + j] == -1 && PyErr_Occurred()) {
                Py_DECREF(seq);
                return -1;
            }
        }
    }
    Py_DECREF(seq);
    return m;
}

/* tagger.spans_of: the labelled tokens' runs as (entity, start, end, confidence), confidence the lowest of the
 * run's; a run ends at a gap, a "B-" or another entity; tokens that do not open with a letter or digit are
 * left off its end ("Leeds," -> "Leeds"). ys: label index per token, -1 for a token outside every window. */
static PyObject *spans_of(const Tagger *t, Py_ssize_t n, const int *ys, const Py_ssize_t *starts, const Py_ssize_t *ends,
                          const double *conf, const Py_ssize_t *idx) {
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
    Py_ssize_t first = -1, last = -1; /* the run so far: tokens first .. last */
    for (Py_ssize_t k = 0; k <= n; k++) {
        const LabelInfo *lab = k < n && ys[k] >= 0 ? &t->label_info[ys[k]] : NULL;
        if (lab != NULL && lab->is_o)
            lab = NULL;
        if (k < n && lab == NULL)
            continue;
        if (first >= 0 && (k == n || k != last + 1 || lab->is_b || lab->group != t->label_info[ys[first]].group)) {
            while (last >= first && !t->entries[idx[last]].alnum)
                last--;
            if (last >= first) {
                double low = conf[first];
                for (Py_ssize_t j = first + 1; j <= last; j++)
                    low = conf[j] < low ? conf[j] : low;
                PyObject *span = Py_BuildValue("(Onnd)", t->label_info[ys[first]].entity, starts[first], ends[last], low);
                if (span == NULL || PyList_Append(out, span) < 0) {
                    Py_XDECREF(span);
                    Py_DECREF(out);
                    return NULL;
                }
                Py_DECREF(span);
            }
            first = -1;
        }
        if (k < n) {
            if (first < 0)
                first = k;
            last = k;
        }
    }
    return out;
}

PyDoc_STRVAR(tagger_tag_doc,
             "tag(text, probe) -> (tokens, labels, confidence, spans)\n\n"
             "tagger.NameTagger.tag's tokens, labels, confidences and spans: probe is None (every labelled word gets\n"
             "its marginal) or (start, end) character ranges outside which a word labelled \"O\" keeps 1.0.");

static PyObject *Tagger_tag(Tagger *t, PyObject *args) {
    PyObject *text, *probe;
    if (!PyArg_ParseTuple(args, "UO:tag", &text, &probe))
        return NULL;
    if (t->model == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "crf_native: Tagger was not initialised");
        return NULL;
    }
    PyObject *tokens = tokens_of(text, t->token_type, t->nl, t->nl2), *labels = NULL, *conf = NULL, *one = NULL;
    PyObject *result = NULL, *spans = NULL;
    Py_ssize_t *idx = NULL, *starts = NULL, *ends = NULL, *seg = NULL, *ranges = NULL, nranges = 0;
    int *ys = NULL;
    double *confs = NULL;
    unsigned char *kinds = NULL, *marks = NULL;
    Word *words = NULL;
    int *path = NULL;
    double *out = NULL;
    if (tokens == NULL)
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(tokens);
    labels = PyList_New(n);
    conf = PyList_New(n);
    one = PyFloat_FromDouble(1.0);
    if (labels == NULL || conf == NULL || one == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_INCREF(t->o_label);
        PyList_SET_ITEM(labels, i, t->o_label);
        Py_INCREF(one);
        PyList_SET_ITEM(conf, i, one);
    }
    if (n == 0) {
        spans = PyList_New(0);
        goto ok;
    }
    if (t->count >= t->limit) /* bounded: cleared between texts only, so a text's entries stay put */
        clear_cache(t);
    idx = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)n);
    starts = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)n);
    ends = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)n);
    ys = PyMem_Malloc(sizeof(int) * (size_t)n);
    confs = PyMem_Malloc(sizeof(double) * (size_t)n);
    seg = PyMem_Malloc(sizeof(Py_ssize_t) * (size_t)(2 * n));
    marks = PyMem_Calloc((size_t)n, 1);
    kinds = PyMem_Malloc((size_t)n + 4);
    if (idx == NULL || starts == NULL || ends == NULL || ys == NULL || confs == NULL || seg == NULL || marks == NULL ||
        kinds == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *tok = PyList_GET_ITEM(tokens, i);
        starts[i] = PyLong_AsSsize_t(PyTuple_GET_ITEM(tok, 0));
        ends[i] = PyLong_AsSsize_t(PyTuple_GET_ITEM(tok, 1));
        if (i > 0 && starts[i] == ends[i - 1]) /* no space before this token: the one before is glued to it */
            marks[i - 1] |= M_GLUED;
        ys[i] = -1;
        confs[i] = 1.0;
        idx[i] = entry_of(t, PyTuple_GET_ITEM(tok, 2));
        if (idx[i] < 0)
            goto done;
    }
    Py_ssize_t nseg = segments_of(t, idx, n, seg);
    if (nseg == 0) {
        spans = PyList_New(0);
        goto ok;
    }
    kinds[0] = kinds[1] = kinds[n + 2] = kinds[n + 3] = t->edge.kind;
    for (Py_ssize_t i = 0; i < n; i++)
        kinds[i + 2] = t->entries[idx[i]].kind;
    int lower_doc = 1;
    int tk = PyUnicode_KIND(text);
    const void *td = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0; i < PyUnicode_GET_LENGTH(text) && lower_doc; i++)
        lower_doc = !Py_UNICODE_ISUPPER(PyUnicode_READ(tk, td, i));
    if (mark_places(t, idx, n, marks) < 0 || (!lower_doc && mark_seen(t, idx, n, seg, nseg, marks) < 0))
        goto done;
    if (probe != Py_None && (nranges = read_probe(probe, &ranges)) < 0)
        goto done;
    Py_ssize_t longest = 0;
    for (Py_ssize_t s = 0; s < nseg; s++)
        longest = seg[2 * s + 1] - seg[2 * s] > longest ? seg[2 * s + 1] - seg[2 * s] : longest;
    words = PyMem_Malloc(sizeof(Word) * (size_t)(longest + 4));
    path = PyMem_Malloc(sizeof(int) * (size_t)longest);
    out = PyMem_Malloc(sizeof(double) * (size_t)longest);
    if (words == NULL || path == NULL || out == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t s = 0; s < nseg; s++) {
        Py_ssize_t a = seg[2 * s], b = seg[2 * s + 1];
        for (Py_ssize_t j = a - 2; j < b + 2; j++) {
            Entry *e = j < 0 || j >= n ? &t->edge : &t->entries[idx[j]];
            if (fill_entry(t, e, e == &t->edge) < 0)
                goto done;
            words[j - a + 2] = e->w;
        }
        if (tag_window(t->model, words, b - a, a, n, kinds, marks, lower_doc, path, out) < 0)
            goto done;
        for (Py_ssize_t i = a; i < b; i++) {
            int y = path[i - a];
            PyObject *name = PyTuple_GET_ITEM(t->model->labels, y);
            Py_INCREF(name);
            PyList_SetItem(labels, i, name); /* drops the "O" */
            ys[i] = y;
            int asked = probe == Py_None || !t->label_info[y].is_o;
            for (Py_ssize_t r = 0; r < nranges && !asked; r++)
                asked = ranges[2 * r] <= starts[i] && starts[i] < ranges[2 * r + 1];
            if (asked && t->entries[idx[i]].alnum) {
                confs[i] = out[i - a];
                PyObject *p = PyFloat_FromDouble(out[i - a]);
                if (p == NULL)
                    goto done;
                PyList_SetItem(conf, i, p);
            }
        }
    }
    spans = spans_of(t, n, ys, starts, ends, confs, idx);
ok:
    if (spans != NULL)
        result = PyTuple_Pack(4, tokens, labels, conf, spans);
done:
    Py_XDECREF(spans);
    Py_XDECREF(tokens);
    Py_XDECREF(labels);
    Py_XDECREF(conf);
    Py_XDECREF(one);
    PyMem_Free(idx);
    PyMem_Free(starts);
    PyMem_Free(ends);
    PyMem_Free(ys);
    PyMem_Free(confs);
    PyMem_Free(seg);
    PyMem_Free(marks);
    PyMem_Free(kinds);
    PyMem_Free(ranges);
    PyMem_Free(words);
    PyMem_Free(path);
    PyMem_Free(out);
    return result;
}

PyDoc_STRVAR(tagger_word_doc,
             "word(word) -> (low, shape, flags, wanted, kind, packed)\n\n"
             "What the cache keeps of a word (tagger._Word's fields and its packed features), made if new; word \"\"\n"
             "gives the edge, the padding before and after a text.");

static PyObject *Tagger_word(Tagger *t, PyObject *arg) {
    if (t->model == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "crf_native: Tagger was not initialised");
        return NULL;
    }
    if (!PyUnicode_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "crf_native: word() takes a str");
        return NULL;
    }
    Entry *e = &t->edge;
    if (PyUnicode_GET_LENGTH(arg) > 0) {
        Py_ssize_t k = entry_of(t, arg);
        if (k < 0)
            return NULL;
        e = &t->entries[k];
    }
    if (fill_entry(t, e, e == &t->edge) < 0)
        return NULL;
    return Py_BuildValue("(OOOiiO)", e->low, e->shape, e->flags, (int)e->wanted, (int)e->kind, e->packed);
}

/* label_info from the model's label names: "O", or "B-"/"I-" and a name that entities maps to an entity. */
static int read_labels(Tagger *t, const Model *m, PyObject *entities) {
    t->label_info = PyMem_Calloc((size_t)m->num_labels, sizeof(LabelInfo));
    if (t->label_info == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    t->num_labels = m->num_labels;
    for (int y = 0; y < m->num_labels; y++) {
        LabelInfo *lab = &t->label_info[y];
        PyObject *name = PyTuple_GET_ITEM(m->labels, y);
        if (!PyUnicode_Check(name)) {
            PyErr_SetString(PyExc_TypeError, "crf_native: label names must be str");
            return -1;
        }
        lab->is_o = PyUnicode_CompareWithASCIIString(name, "O") == 0;
        lab->group = y;
        if (lab->is_o)
            continue;
        lab->tail = PyUnicode_Substring(name, PyUnicode_GET_LENGTH(name) < 2 ? PyUnicode_GET_LENGTH(name) : 2,
                                        PY_SSIZE_T_MAX); /* spans_of: labels[k][2:] */
        if (lab->tail == NULL)
            return -1;
        lab->is_b = PyUnicode_GET_LENGTH(name) > 0 && PyUnicode_READ_CHAR(name, 0) == 'B';
        lab->entity = Py_XNewRef(PyDict_GetItemWithError(entities, lab->tail));
        if (lab->entity == NULL) {
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_ValueError, "crf_native: label %R has no entity", name);
            return -1;
        }
        for (int z = 0; z < y; z++) {
            if (!t->label_info[z].is_o && PyUnicode_Compare(t->label_info[z].tail, lab->tail) == 0) {
                lab->group = t->label_info[z].group;
                break;
            }
        }
    }
    return 0;
}

static int Tagger_init(Tagger *t, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"model", "token_type", "nl", "nl2", "lists", "first_names", "place_lengths", "places",
                             "limit", "max_seq", "window", "entities", NULL};
    PyObject *model, *nl, *nl2, *lists, *first_names, *place_lengths, *places, *entities;
    PyTypeObject *type;
    Py_ssize_t limit, max_seq, window;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!UUO!OO!OnnnO!:Tagger", kwlist, &ModelType, &model, &PyType_Type, &type,
                                     &nl, &nl2, &PyTuple_Type, &lists, &first_names, &PyDict_Type, &place_lengths, &places,
                                     &limit, &max_seq, &window, &PyDict_Type, &entities))
        return -1;
    if (t->started) {
        PyErr_SetString(PyExc_RuntimeError, "crf_native: a Tagger is initialised once");
        return -1;
    }
    t->started = 1;
    if (check_token_type(type) < 0)
        return -1;
    if (((Model *)model)->labels == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "crf_native: Model was not initialised");
        return -1;
    }
    if (PyTuple_GET_SIZE(lists) > NFLAGS || !PyAnySet_Check(first_names) || !PyAnySet_Check(places) || limit < 1 ||
        max_seq < 1 || window < 0) {
        PyErr_SetString(PyExc_ValueError, "crf_native: Tagger needs at most 9 (letter, set) lists, sets of first names and "
                                          "places, and positive limit, max_seq");
        return -1;
    }
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(lists); k++) {
        PyObject *pair = PyTuple_GET_ITEM(lists, k);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 || !PyUnicode_Check(PyTuple_GET_ITEM(pair, 0)) ||
            PyUnicode_GET_LENGTH(PyTuple_GET_ITEM(pair, 0)) != 1 || !PyAnySet_Check(PyTuple_GET_ITEM(pair, 1))) {
            PyErr_SetString(PyExc_TypeError, "crf_native: each of lists must be a (letter, set) pair");
            return -1;
        }
        t->letters[k] = PyUnicode_READ_CHAR(PyTuple_GET_ITEM(pair, 0), 0);
        t->sets[k] = Py_NewRef(PyTuple_GET_ITEM(pair, 1));
    }
    t->nsets = (int)PyTuple_GET_SIZE(lists);
    t->token_type = (PyTypeObject *)Py_NewRef((PyObject *)type);
    t->nl = Py_NewRef(nl);
    t->nl2 = Py_NewRef(nl2);
    t->first_names = Py_NewRef(first_names);
    t->place_lengths = Py_NewRef(place_lengths);
    t->places = Py_NewRef(places);
    t->limit = limit, t->max_seq = max_seq, t->window = window;
    t->cache = PyDict_New();
    t->o_label = PyUnicode_InternFromString("O");
    t->hyphen = PyUnicode_FromString("-");
    t->space = PyUnicode_FromString(" ");
    t->edge.word = PyUnicode_FromString("<S>");
    t->edge.flags = PyUnicode_New(0, 0);
    if (t->cache == NULL || t->o_label == NULL || t->hyphen == NULL || t->space == NULL || t->edge.word == NULL ||
        t->edge.flags == NULL)
        return -1;
    t->edge.low = Py_NewRef(t->edge.word);
    t->edge.shape = Py_NewRef(t->edge.word);
    if (entry_facts(t, &t->edge) < 0)
        return -1;
    if (read_labels(t, (Model *)model, entities) < 0)
        return -1;
    t->model = (Model *)Py_NewRef(model); /* set last: a Tagger with a model is a complete one */
    return 0;
}

static void Tagger_dealloc(Tagger *t) {
    clear_cache(t);
    PyMem_Free(t->entries);
    clear_entry(&t->edge);
    for (int k = 0; k < NFLAGS; k++)
        Py_CLEAR(t->sets[k]);
    for (int y = 0; y < t->num_labels; y++) {
        Py_CLEAR(t->label_info[y].tail);
        Py_CLEAR(t->label_info[y].entity);
    }
    PyMem_Free(t->label_info);
    Py_CLEAR(t->model);
    Py_CLEAR(t->token_type);
    Py_CLEAR(t->nl);
    Py_CLEAR(t->nl2);
    Py_CLEAR(t->first_names);
    Py_CLEAR(t->place_lengths);
    Py_CLEAR(t->places);
    Py_CLEAR(t->cache);
    Py_CLEAR(t->o_label);
    Py_CLEAR(t->hyphen);
    Py_CLEAR(t->space);
    Py_TYPE(t)->tp_free((PyObject *)t);
}

static PyMethodDef Tagger_methods[] = {
    {"tag", (PyCFunction)Tagger_tag, METH_VARARGS, tagger_tag_doc},
    {"word", (PyCFunction)Tagger_word, METH_O, tagger_word_doc},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject TaggerType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "aircluster.privacy.detect.crf_native.Tagger",
    .tp_basicsize = sizeof(Tagger),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Tagger(model, token_type, nl, nl2, lists, first_names, place_lengths, places, limit, max_seq, window,\n"
              "entities):\n"
              "tagger.NameTagger.tag in C, with its word cache (see crf_native.c).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Tagger_init,
    .tp_dealloc = (destructor)Tagger_dealloc,
    .tp_methods = Tagger_methods,
};

static PyMethodDef module_methods[] = {
    {"tokenize", tokenize, METH_VARARGS, tokenize_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "crf_native", .m_doc = "The name tagger's tokenizer and CRF inference in C.",
    .m_size = -1, .m_methods = module_methods,
};

PyMODINIT_FUNC PyInit_crf_native(void) {
    if (PyType_Ready(&ModelType) < 0 || PyType_Ready(&TaggerType) < 0)
        return NULL;
    PyObject *mod = PyModule_Create(&module);
    if (mod == NULL)
        return NULL;
    Py_INCREF(&ModelType);
    if (PyModule_AddObject(mod, "Model", (PyObject *)&ModelType) < 0) {
        Py_DECREF(&ModelType);
        Py_DECREF(mod);
        return NULL;
    }
    Py_INCREF(&TaggerType);
    if (PyModule_AddObject(mod, "Tagger", (PyObject *)&TaggerType) < 0) {
        Py_DECREF(&TaggerType);
        Py_DECREF(mod);
        return NULL;
    }
    return mod;
}
