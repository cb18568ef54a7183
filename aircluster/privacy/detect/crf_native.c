/* The name tagger's CRF inference in C: state scores, Viterbi labels and the marginal of each label
 * (forward-backward), for one window of tokens whose features are integer ids.
 *
 * Python (tagger.py) reads the model's weights once and maps every attribute string to a dense id;
 * a word's features are cached as packed ids. This module then does the per-token work that used to
 * be handing feature strings to CRFsuite and CRFsuite's own scoring. Its arithmetic follows CRFsuite's
 * first-order CRF (crf1d) step by step, so labels are the same and marginals equal to rounding:
 *   - a feature's value is 1.0, a state score is the sum of its attributes' weights in item order;
 *   - Viterbi keeps the first best on ties (strict "<");
 *   - forward and backward scores are scaled per position by 1/sum, marginal = alpha*beta/scale.
 *
 * Packed word (bytes of int32, native order): five counts, then the ids they count:
 *   [n_own, n_prev1, n_prev2, n_next1, n_next2, own..., prev1..., prev2..., next1..., next2...]
 * "prev1" are the features a word gives the word after it ("w-1=anna"), "next1" the word before it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#define NPARTS 5 /* own, prev1, prev2, next1, next2 */
enum { OWN = 0, PREV1 = 1, PREV2 = 2, NEXT1 = 3, NEXT2 = 4 };

typedef struct {
    PyObject_HEAD
    int num_labels;      /* L */
    Py_ssize_t num_attrs; /* A: ids are 0..A-1 */
    int bias;            /* id of the feature every non-break token has ("b"), -1 if the model lacks it */
    double *state;       /* A x L: weight of (attribute, label), 0 where the model has none */
    double *trans;       /* L x L: weight of (previous label, label) */
    double *exp_trans;   /* exp of trans, as CRFsuite keeps it for forward-backward */
    PyObject *labels;    /* tuple of L label names, returned as they are */
} Model;

/* A packed word's parts, checked once so the scoring loop needs no more checks. */
typedef struct {
    const int32_t *ids[NPARTS];
    Py_ssize_t n[NPARTS];
} Word;

static int read_word(const Model *m, PyObject *obj, Word *w) {
    if (!PyBytes_Check(obj)) {
        PyErr_SetString(PyExc_TypeError, "crf_native: a packed word must be bytes");
        return -1;
    }
    Py_ssize_t size = PyBytes_GET_SIZE(obj);
    if (size % 4 != 0 || size < 4 * NPARTS) {
        PyErr_SetString(PyExc_ValueError, "crf_native: a packed word is too short or not whole int32s");
        return -1;
    }
    const int32_t *p = (const int32_t *)PyBytes_AS_STRING(obj); /* bytes data is suitably aligned */
    Py_ssize_t have = size / 4 - NPARTS, used = 0;
    const int32_t *ids = p + NPARTS;
    for (int k = 0; k < NPARTS; k++) {
        if (p[k] < 0 || p[k] > have - used) {
            PyErr_SetString(PyExc_ValueError, "crf_native: a packed word's counts exceed its ids");
            return -1;
        }
        w->ids[k] = ids + used;
        w->n[k] = p[k];
        used += p[k];
    }
    for (Py_ssize_t k = 0; k < used; k++) {
        if (ids[k] < 0 || ids[k] >= m->num_attrs) {
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
    for (Py_ssize_t k = 0; k < w->n[part]; k++)
        add_row(m, score, w->ids[part][k]);
}

/* State scores of position t: "b", the word's own features, its neighbours' context features, then the
 * per-position extras, in the order tagger.features() lists them. `extra` is None for a line break,
 * which has only "b" and its own features. */
static int score_position(const Model *m, double *score, const Word *words, Py_ssize_t t, PyObject *extra) {
    const Word *w = &words[t + 2]; /* words holds two tokens of context on either side */
    memset(score, 0, sizeof(double) * m->num_labels);
    if (m->bias >= 0)
        add_row(m, score, m->bias);
    add_part(m, score, w, OWN);
    if (extra == Py_None)
        return 0;
    add_part(m, score, &words[t + 1], PREV1);
    add_part(m, score, &words[t], PREV2);
    add_part(m, score, &words[t + 3], NEXT1);
    add_part(m, score, &words[t + 4], NEXT2);
    if (!PyList_Check(extra)) {
        PyErr_SetString(PyExc_TypeError, "crf_native: per-position features must be a list of ids or None");
        return -1;
    }
    for (Py_ssize_t k = 0; k < PyList_GET_SIZE(extra); k++) {
        long id = PyLong_AsLong(PyList_GET_ITEM(extra, k));
        if (id == -1 && PyErr_Occurred())
            return -1;
        if (id < 0 || id >= m->num_attrs) {
            PyErr_SetString(PyExc_ValueError, "crf_native: a per-position feature id is outside the model");
            return -1;
        }
        add_row(m, score, (Py_ssize_t)id);
    }
    return 0;
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

PyDoc_STRVAR(tag_doc,
             "tag(words, extras) -> (labels, marginals)\n\n"
             "words: packed words (bytes) of tokens start-2 .. end+1 of the window (T + 4 of them);\n"
             "extras: per token, a list of per-position feature ids, or None for a line break.\n"
             "Returns the Viterbi label names (list of str) and each label's marginal (list of float).");

static PyObject *Model_tag(Model *m, PyObject *args) {
    PyObject *words_obj, *extras;
    if (!PyArg_ParseTuple(args, "O!O!:tag", &PyList_Type, &words_obj, &PyList_Type, &extras))
        return NULL;
    Py_ssize_t T = PyList_GET_SIZE(extras);
    if (PyList_GET_SIZE(words_obj) != T + 4) {
        PyErr_SetString(PyExc_ValueError, "crf_native: tag() needs len(words) == len(extras) + 4");
        return NULL;
    }
    PyObject *labels = PyList_New(T), *margs = PyList_New(T);
    if (labels == NULL || margs == NULL)
        goto fail_lists;
    if (T == 0)
        return Py_BuildValue("(NN)", labels, margs);

    const int L = m->num_labels;
    /* One allocation for every work array; T*L cannot overflow for any list that fits in memory. */
    size_t nd = (size_t)T * L * 5 + (size_t)T * 2 + (size_t)L, ni = (size_t)T * L + (size_t)T;
    double *buf = PyMem_Malloc(nd * sizeof(double));
    int *ibuf = PyMem_Malloc(ni * sizeof(int));
    Word *words = PyMem_Malloc((size_t)(T + 4) * sizeof(Word));
    if (buf == NULL || ibuf == NULL || words == NULL) {
        PyErr_NoMemory();
        goto fail;
    }
    double *state = buf, *best = state + T * L, *alpha = best + T * L, *beta = alpha + T * L;
    double *ex = beta + T * L, *scale = ex + T * L, *out = scale + T, *row = out + T;
    int *back = ibuf, *path = ibuf + T * L;

    for (Py_ssize_t k = 0; k < T + 4; k++)
        if (read_word(m, PyList_GET_ITEM(words_obj, k), &words[k]) < 0)
            goto fail;
    for (Py_ssize_t t = 0; t < T; t++)
        if (score_position(m, state + t * L, words, t, PyList_GET_ITEM(extras, t)) < 0)
            goto fail;
    viterbi(m, state, T, best, back, path);
    memcpy(ex, state, sizeof(double) * T * L);
    marginals(m, ex, T, alpha, beta, scale, row, path, out);
    for (Py_ssize_t t = 0; t < T; t++) {
        PyObject *name = PyTuple_GET_ITEM(m->labels, path[t]);
        PyObject *p = PyFloat_FromDouble(out[t]);
        if (p == NULL)
            goto fail;
        Py_INCREF(name);
        PyList_SET_ITEM(labels, t, name);
        PyList_SET_ITEM(margs, t, p);
    }
    PyMem_Free(buf);
    PyMem_Free(ibuf);
    PyMem_Free(words);
    return Py_BuildValue("(NN)", labels, margs);
fail:
    PyMem_Free(buf);
    PyMem_Free(ibuf);
    PyMem_Free(words);
fail_lists:
    Py_XDECREF(labels);
    Py_XDECREF(margs);
    return NULL;
}

/* Model(state, transitions, labels, bias): state is A*L doubles and transitions L*L doubles (bytes,
 * native order, row-major), labels a tuple of L names, bias the id of "b" or -1. */
static int Model_init(Model *m, PyObject *args, PyObject *kwds) {
    static char *kwlist[] = {"state", "transitions", "labels", "bias", NULL};
    Py_buffer st, tr;
    PyObject *labels;
    int bias;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "y*y*O!i:Model", kwlist, &st, &tr, &PyTuple_Type, &labels, &bias))
        return -1;
    int rc = -1;
    Py_ssize_t L = PyTuple_GET_SIZE(labels);
    if (L < 1 || L > 1000) {
        PyErr_SetString(PyExc_ValueError, "crf_native: a model needs 1 to 1000 labels");
        goto done;
    }
    if (tr.len != (Py_ssize_t)(L * L * sizeof(double)) || st.len % (L * (Py_ssize_t)sizeof(double)) != 0) {
        PyErr_SetString(PyExc_ValueError, "crf_native: weight tables do not match the number of labels");
        goto done;
    }
    Py_ssize_t A = st.len / (L * (Py_ssize_t)sizeof(double));
    if (bias < -1 || bias >= A) {
        PyErr_SetString(PyExc_ValueError, "crf_native: bias id outside the model");
        goto done;
    }
    double *state = PyMem_Malloc(st.len > 0 ? (size_t)st.len : 1);
    double *trans = PyMem_Malloc((size_t)tr.len * 2);
    if (state == NULL || trans == NULL) {
        PyMem_Free(state);
        PyMem_Free(trans);
        PyErr_NoMemory();
        goto done;
    }
    memcpy(state, st.buf, (size_t)st.len);
    memcpy(trans, tr.buf, (size_t)tr.len);
    for (Py_ssize_t k = 0; k < L * L; k++)
        trans[L * L + k] = exp(trans[k]);
    PyMem_Free(m->state); /* __init__ may run twice on one object */
    PyMem_Free(m->trans);
    m->state = state;
    m->trans = trans;
    m->exp_trans = trans + L * L;
    m->num_labels = (int)L;
    m->num_attrs = A;
    m->bias = bias;
    Py_INCREF(labels);
    Py_XSETREF(m->labels, labels);
    rc = 0;
done:
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
    PyMem_Free(m->state);
    PyMem_Free(m->trans);
    Py_XDECREF(m->labels);
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

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, .m_name = "crf_native", .m_doc = "The name tagger's CRF inference in C.", .m_size = -1,
};

PyMODINIT_FUNC PyInit_crf_native(void) {
    if (PyType_Ready(&ModelType) < 0)
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
    return mod;
}
